// Answers to what was not a command (the dispatcher's intent step decides what a message means): the menu for a
// greeting or a bare @-mention, "您是不是想：" for near misses, the menu's buttons when nothing was close; the card
// for a draft put aside by another command, `继续` to take it up, and the purge of drafts past their time.
import { buildContactCard, buildKeptCard, buildMenuCard, buildPausedCard, buildSuggestionsCard } from '../cards/talk.js'
import { MESSAGES } from '../src/dispatch/messages.js'
import { resumePaused } from '../src/dispatch/resume.js'
import type { MessageContext } from '../src/dispatch/context.js'
import type { BotRouter } from '../src/dispatch/router.js'
import { RESUME_WORDS } from '../src/dispatch/text.js'
import { OFFICER_ROLE_LABEL } from '../src/organisation/model.js'
import { listOfficers } from '../src/organisation/store.js'

/** The menu's buttons, in this order, those whose command is registered. */
export const MENU_WORDS = ['投诉', '我的诉求', '活动', '提案列表', '帮助']

/** At most this many officers are named on the 联系工会 card (it must fit one phone screen). */
const CONTACT_OFFICERS_SHOWN = 6

/** Buttons an officer gets in front of the worker's (their daily work), those registered. */
export const OFFICER_BUTTONS = ['待办', '诉求列表']

/** At most this many buttons on the menu (they wrap to two rows on a 390 px phone). */
const MENU_MAX = 6

export function registerTalk(router: BotRouter): void {
  const registered = (w: string) => router.matchCommand(w)?.args === ''
  const menu = () => MENU_WORDS.filter(registered)
  /** The person's menu: an officer's daily work first (待办, 诉求列表), then the worker's. */
  const menuFor = async (ctx: MessageContext, extra: readonly string[] = []) => {
    const officer = await ctx.hasRole('officer')
    return [...new Set([...(officer ? OFFICER_BUTTONS : []), ...MENU_WORDS.filter((w) => w !== '帮助'), ...extra, '帮助'])].filter(registered).slice(0, MENU_MAX)
  }
  router.talk({
    async menu(ctx, why) {
      await ctx.reply({ card: buildMenuCard({ why, words: await menuFor(ctx) }) })
    },
    async welcome(ctx) {
      await ctx.reply({ card: buildMenuCard({ why: 'welcome', words: await menuFor(ctx, ['联系工会']) }) }, { key: 'welcome' })
    },
    async unmatched(ctx, suggestions) {
      await ctx.reply({ card: buildSuggestionsCard({ suggestions, menu: menu() }) })
    },
    async kept(ctx, title) {
      await ctx.reply({ card: buildKeptCard({ title }) })
    },
    async paused(ctx, draft) {
      const minutes = Math.max(1, Math.round(ctx.config.conversationTtlSeconds / 60))
      await ctx.replyPrivately({ card: buildPausedCard({ ...draft, minutes }) }, { key: 'paused-note' })
    },
  })

  router.command({
    words: RESUME_WORDS,
    synonyms: ['接着填', '继续填', '继续填写', '继续办理', '接着办'],
    help: { section: '常用', usage: '继续', description: '接着办理被其他指令打断、已为您保存的事项' },
    async handle(ctx) {
      // A group never sees a draft: 继续 there answers privately, like the draft's own steps.
      const outcome = await resumePaused(ctx.services, router, ctx.eventId, ctx.actorOpenId)
      if (outcome === 'gone') await ctx.replyPrivately({ text: MESSAGES.nothingToResume }, { key: 'nothing-to-resume' })
    },
  })

  // `你是谁`, `人工客服`, `找工会主席` (F34): who the bot is and how to reach a person at the union — the officers by
  // name and role from the organisation (never an open_id), and the buttons to raise a matter through the bot.
  router.command({
    words: ['联系工会', 'contact'],
    synonyms: [
      '人工客服', '人工服务', '找人工', '转人工', '人工', '客服', '找真人', '真人', '你是谁', '你是机器人吗', '你是真人吗', 'who are you',
      '找工会主席', '找主席', '工会主席', '主席是谁', '联系主席', '找工会', '找工会的人', '工会的人', '工会电话', '工会办公室', '联系方式',
    ],
    hints: ['主席', '电话', '办公室', '谈谈', '当面', '找人'],
    help: { section: '常用', usage: '联系工会', description: '我是谁，怎样找到工会主席、委员本人' },
    async handle(ctx) {
      // Those kept in chat with their role (主席 first), then those only configured (UNION_OFFICER_OPEN_IDS).
      const stored = await listOfficers(ctx.db)
      const configured = (await ctx.services.roles.officerOpenIds()).filter((id) => !stored.some((o) => o.openId === id))
      const all = [...stored.map((o) => ({ openId: o.openId, role: OFFICER_ROLE_LABEL[o.role] })), ...configured.map((openId) => ({ openId, role: '工会干部' }))]
      const officers = []
      for (const o of all.slice(0, CONTACT_OFFICERS_SHOWN)) {
        const name = await ctx.nameOf(o.openId)
        if (name) officers.push({ name, role: o.role })
      }
      const more = Math.max(0, all.length - CONTACT_OFFICERS_SHOWN)
      await ctx.reply({ card: buildContactCard({ officers, more, words: menu().filter((w) => w !== '帮助') }) })
    },
  })

  // Drafts in Postgres past their window (paused, kept, expired live ones) are deleted within a minute.
  router.periodic({ name: 'conversation-drafts.purge', run: (ctx) => ctx.services.conversations.purgeDrafts().then(() => undefined) })
}
