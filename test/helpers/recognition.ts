// Test helpers for recognition and learning: members registered through 会员 导入 (a CSV with open_ids), and the
// round a chair launches through 评选 发起 and its form.
import { expect } from 'vitest'
import { toCsv } from '../../src/kit/csv.js'
import { CHAIR, type TestBot } from '../rig/test-bot.js'
import { cardTitle, clickOn, lastText, p2p, say, type Person } from './chat.js'

let files = 0
/** Sends a CSV file privately as `who` (the fake Open API serves it as a message resource). */
export async function sendCsv(t: TestBot, who: Person, data: Buffer, name = 'data.csv'): Promise<void> {
  const messageId = `om_rec_csv_${++files}_${Math.random().toString(36).slice(2, 6)}`
  const key = `file_v3_rec_${files}`
  t.fake.inboundFiles.set(`${messageId}/${key}`, data)
  const res = await t.sendMessage({ sender: who, chatId: p2p(who), chatType: 'p2p', messageType: 'file', content: { file_key: key, file_name: name }, messageId })
  expect(res.status).toBe(200)
  await t.settle()
}

/** Registers people as members (with departments) through 会员 导入, as the chair would. */
export async function importMembers(t: TestBot, people: Array<Person & { department?: string }>): Promise<void> {
  await say(t, CHAIR, '会员 导入')
  await sendCsv(t, CHAIR, toCsv([['姓名', 'open_id', '部门', '入会日期'], ...people.map((p): string[] => [p.name ?? '', p.openId, p.department ?? '', '2024-05-01'])]), '会员.csv')
  expect(lastText(t, CHAIR) + JSON.stringify(t.fake.messages.at(-1)?.content)).toContain(`${people.length} 人登记为会员`)
}

/** The chair launches a round in `chat` and submits the form; returns the round's number. */
export async function launchRound(t: TestBot, chat: string, form: { name?: string; places?: string; nominators?: string; cosigners?: string; deadline: string }): Promise<string> {
  const res = await t.sendMessage({ sender: CHAIR, chatId: chat, chatType: 'group', text: `评选 发起 ${form.name ?? '2026年度先进工作者'}`, mentionBot: true })
  expect(res.status).toBe(200)
  await t.settle()
  const card = t.fake.messagesInChat(chat).filter((m) => cardTitle(m) === '发起评选').at(-1)!
  const answer = await clickOn(t, CHAIR, card, 'award.round.create', {
    chatId: chat,
    formValue: {
      round_name: form.name ?? '2026年度先进工作者',
      round_places: form.places ?? '2',
      round_nominators: form.nominators ?? 'members',
      round_cosigners: form.cosigners ?? '1',
      round_deadline: `${form.deadline} +0800`,
    },
  })
  expect(answer.body.toast?.type, answer.body.toast?.content).toBe('success')
  return /PX-\d{4}-\d{2}/.exec(answer.body.toast.content)![0]
}
