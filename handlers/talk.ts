// Answers to what was not a command (the dispatcher's intent step decides what a message means): the menu for a
// greeting or a bare @-mention, "您是不是想：" for near misses, the menu's buttons when nothing was close; the card
// for a draft put aside by another command, `继续` to take it up, and the purge of drafts past their time.
import { buildKeptCard, buildMenuCard, buildPausedCard, buildSuggestionsCard } from '../cards/talk.js'
import { MESSAGES } from '../src/dispatch/messages.js'
import { resumePaused } from '../src/dispatch/resume.js'
import type { BotRouter } from '../src/dispatch/router.js'
import { RESUME_WORDS } from '../src/dispatch/text.js'

/** The menu's buttons, in this order, those whose command is registered. */
export const MENU_WORDS = ['投诉', '我的诉求', '活动', '提案列表', '帮助']

export function registerTalk(router: BotRouter): void {
  const menu = () => MENU_WORDS.filter((w) => router.matchCommand(w)?.args === '')
  router.talk({
    async menu(ctx, why) {
      await ctx.reply({ card: buildMenuCard({ why, words: menu() }) })
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

  // Drafts in Postgres past their window (paused, kept, expired live ones) are deleted within a minute.
  router.periodic({ name: 'conversation-drafts.purge', run: (ctx) => ctx.services.conversations.purgeDrafts().then(() => undefined) })
}
