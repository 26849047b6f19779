// Answers to what was not a command (the dispatcher's intent step decides what a message means): the menu for a
// greeting or a bare @-mention, "您是不是想：" for near misses, the menu's buttons when nothing was close.
import { buildKeptCard, buildMenuCard, buildSuggestionsCard } from '../cards/talk.js'
import type { BotRouter } from '../src/dispatch/router.js'

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
  })
}
