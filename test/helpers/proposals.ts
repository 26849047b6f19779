// Test helpers for the proposal feature: people, private-chat messages, card lookups and the common setup
// (representatives, a department, an open window, a submitted proposal), all through the real webhook.
import { expect } from 'vitest'
import type { DeliveredMessage } from '../../devtools/fake-open-api.js'
import type { Person } from '../../devtools/feishu-events.js'
import { CHAIR, type TestBot } from '../rig/test-bot.js'

export const OFFICER = CHAIR
export const REP_A = { openId: 'ou_rep_a', name: '张代表' }
export const REP_B = { openId: 'ou_rep_b', name: '李代表' }
export const REP_C = { openId: 'ou_rep_c', name: '赵代表' }
export const CONTACT = { openId: 'ou_contact_hq', name: '钱联系人' }
export const WORKER = { openId: 'ou_worker', name: '孙职工' }

/** The user text every escaping test uses: mentions, a link, a heading, bold and a font tag. */
export const EVIL = '<at id=all></at> <at user_id="ou_x"></at> [link](http://x) # heading **bold** <font color=red>red</font>'
/** Markers that must never reach a card's markdown unescaped. */
export const INJECTION_MARKERS = ['<at', '](http', '**bold**', '<font color=red>', '# heading']

export const p2p = (openId: string) => `oc_p2p_${openId}`

/** Sends a private message and waits until the bot has handled it. */
export async function say(t: TestBot, who: Person, text: string, mentions: Person[] = []): Promise<void> {
  const res = await t.sendMessage({ sender: who, chatId: p2p(who.openId), chatType: 'p2p', text, mentions })
  expect(res.status).toBe(200)
  await t.settle()
}

/** Everything the bot sent a person privately: replies in their private chat and messages to their open_id. */
export function inbox(t: TestBot, openId: string): DeliveredMessage[] {
  return t.fake.messages.filter((m) => m.chatId === p2p(openId) || (m.receiveIdType === 'open_id' && m.receiveId === openId))
}

export function texts(t: TestBot, openId: string): string[] {
  return inbox(t, openId)
    .filter((m) => m.msgType === 'text')
    .map((m) => m.content.text as string)
}

export function lastText(t: TestBot, openId: string): string {
  return texts(t, openId).at(-1) ?? ''
}

export function cards(t: TestBot, openId: string): DeliveredMessage[] {
  return inbox(t, openId).filter((m) => m.msgType === 'interactive')
}

export function lastCard(t: TestBot, openId: string): DeliveredMessage {
  const c = cards(t, openId).at(-1)
  if (!c) throw new Error(`no card to ${openId}`)
  return c
}

export function committeeCards(t: TestBot): DeliveredMessage[] {
  return t.fake.messagesInChat('oc_union_committee').filter((m) => m.msgType === 'interactive')
}

export function committeeTexts(t: TestBot): string[] {
  return t.fake
    .messagesInChat('oc_union_committee')
    .filter((m) => m.msgType === 'text')
    .map((m) => m.content.text as string)
}

/** All markdown contents of a card (where Feishu parses markup). */
export function markdownOf(cardJson: any): string[] {
  const out: string[] = []
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (o.tag === 'markdown' && typeof o.content === 'string') out.push(o.content)
      Object.values(o).forEach(visit)
    }
  }
  visit(cardJson)
  return out
}

export function cardText(cardJson: any): string {
  return JSON.stringify(cardJson)
}

/** Fails when user text reached a card's markdown unescaped. */
export function expectEscaped(cardJson: any): void {
  for (const content of markdownOf(cardJson)) {
    for (const marker of INJECTION_MARKERS) expect(content, `markdown contains ${marker}`).not.toContain(marker)
  }
}

/** The callback value of the card's button for `action` (first match), or undefined. */
export function buttonValue(cardJson: any, action: string, text?: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined
  const visit = (v: unknown): void => {
    if (found) return
    if (Array.isArray(v)) v.forEach(visit)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, any>
      if (o.tag === 'button' && Array.isArray(o.behaviors)) {
        const value = o.behaviors[0]?.value
        if (value?.action === action && (!text || o.text?.content === text)) found = value
      }
      Object.values(o).forEach(visit)
    }
  }
  visit(cardJson)
  return found
}

/** Clicks the button for `action` on a delivered card (its current content) as `who`. */
export async function clickOn(t: TestBot, who: Person, message: DeliveredMessage, action: string, opts: { formValue?: Record<string, unknown>; text?: string } = {}) {
  const value = buttonValue(t.fake.currentCard(message.messageId), action, opts.text)
  if (!value) throw new Error(`no ${action} button on the card`)
  const res = await t.click({ operator: who, value, messageId: message.messageId, chatId: message.chatId ?? p2p(who.openId), ...(opts.formValue ? { formValue: opts.formValue } : {}) })
  expect(res.status).toBe(200)
  await t.settle()
  // Feishu shows the callback's card in place of the clicked one; the fake only sees API calls, so note it here.
  if (res.body?.card?.data) message.patches.push(res.body.card.data)
  return res.body as { toast?: { type: string; content: string }; card?: { type: string; data: any } }
}

/** Registers representatives and a department, and opens a window (as the chair, in private chat). */
export async function setupRoster(t: TestBot, opts: { reps?: Person[]; department?: string; window?: string } = {}): Promise<void> {
  for (const p of [REP_A, REP_B, REP_C, CONTACT, WORKER]) t.fake.users.set(p.openId, { name: p.name })
  await say(t, OFFICER, '代表 添加', opts.reps ?? [REP_A, REP_B, REP_C])
  await say(t, OFFICER, `部门 添加 ${opts.department ?? '后勤保障部'}`, [CONTACT])
  await say(t, OFFICER, `提案征集 开始 ${opts.window ?? '第五届职代会第三次会议'}`)
}

export const CONTENT = '夜班职工反映食堂夜间不供应热食，建议增设夜间窗口并延长供餐时间至凌晨两点。'

/** Walks the submission conversation and returns the new proposal's number. */
export async function submitProposal(t: TestBot, who: Person, opts: { title?: string; content?: string; category?: string } = {}): Promise<string> {
  await say(t, who, '提交提案')
  await say(t, who, opts.title ?? '关于改善夜班职工就餐条件的提案')
  await say(t, who, opts.content ?? CONTENT)
  await say(t, who, opts.category ?? '3')
  await say(t, who, '确认')
  const m = lastText(t, who.openId).match(/编号 (P-\d{4}-\d{3,})/)
  if (!m) throw new Error(`no proposal number in: ${lastText(t, who.openId)}`)
  return m[1]!
}

/** The latest card to `openId` whose header title contains `title`. */
export function cardTitled(t: TestBot, openId: string | undefined, title: string): DeliveredMessage {
  const list = openId ? cards(t, openId) : committeeCards(t)
  const c = [...list].reverse().find((m) => String(m.content?.header?.title?.content ?? '').includes(title))
  if (!c) throw new Error(`no card titled ${title}`)
  return c
}
