// `帮助` / `help`: answers with the help card listing every feature (generated from the command table).
import { buildHelpCard } from '../cards/help.js'
import type { BotRouter } from '../src/dispatch/router.js'

export function registerHelp(router: BotRouter): void {
  router.command({
    words: ['帮助', 'help', '菜单', 'menu', '?'],
    synonyms: ['怎么用', '使用说明', '你能做什么', '能做什么', '功能', '指令', '命令'],
    help: { section: '常用', usage: '帮助', description: '查看本说明' },
    async handle(ctx) {
      await ctx.reply({ card: buildHelpCard(router.helpEntries()) })
    },
  })
}
