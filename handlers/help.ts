// `帮助` / `help`: answers with the help card listing every feature (generated from the command table).
import { buildHelpCard } from '../cards/help.js'
import type { BotRouter } from '../src/dispatch/router.js'

export function registerHelp(router: BotRouter): void {
  router.command({
    words: ['帮助', 'help', '菜单', 'menu', '?'],
    help: { section: '常用', usage: '帮助', description: '查看本说明' },
    async handle(ctx) {
      await ctx.reply({ card: buildHelpCard(router.helpEntries()) })
    },
  })
}
