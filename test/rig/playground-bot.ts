// Starts the bot with the playground in-process, exactly as src/main.ts does in playground mode (generated app
// credentials, encrypt key, the stand-in Open API, the bind address from the config: 127.0.0.1 unless HOST), plus a
// small demo feature tests use to exercise card interactions before the real features are merged.
import { pino } from 'pino'
import { registerHandlers } from '../../handlers/index.js'
import { button, buttonRow, card, datePicker, dateTimePicker, form, input, md, note, selectStatic } from '../../cards/kit.js'
import { createBot, type Bot } from '../../src/app.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { preparePlayground, type Playground } from '../../playground/index.js'
import { SeedDriver } from '../../playground/seed/driver.js'

export interface PlaygroundBot {
  playground: Playground
  bot: Bot
  url: string
  /** What listen() reported as really bound. */
  bound: string
  /** The page's URL as printed, with this start's token (`/playground/#token=…`). */
  pageUrl: string
  /** This start's API token. */
  token: string
  seeded: string[]
  driver: SeedDriver
  stop(): Promise<void>
}

export async function startPlaygroundBot(opts: {
  env: Record<string, string | undefined>
  register?: (router: BotRouter) => void
  redisNamespace?: string
  seed?: 'auto' | 'never' | 'force'
}): Promise<PlaygroundBot> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' })
  const playground = await preparePlayground({ env: { SCHEDULER_ENABLED: '0', INTERNAL_PORT: '0', ...opts.env }, log })
  const bot = await createBot(playground.config, {
    logger: log,
    ...playground.botOptions,
    register: opts.register ?? registerHandlers,
    ...(opts.redisNamespace ? { redisNamespace: opts.redisNamespace } : {}),
  })
  // No host given: the playground's default bind is part of what the tests check.
  const { url, bound } = await bot.listen(0)
  const started = await playground.start(bot, url, { seed: opts.seed ?? 'auto' })
  return { playground, bot, url, bound, pageUrl: started.url, token: playground.token, seeded: started.seeded, driver: new SeedDriver(playground.session, bot), stop: () => playground.stop(bot) }
}

export interface DemoRecord {
  action: string
  operator: string
  chatId: string | undefined
  messageId: string | undefined
  formValue: Record<string, unknown>
  text?: string
  mentions?: Array<string | undefined>
}

/** A stand-in feature: an officer-only approval card (callback card, then a deferred PATCH), a form, a file, an echo. */
export function demoFeature(records: DemoRecord[]): (router: BotRouter) => void {
  return (router) => {
    registerHandlers(router)
    router.command({
      words: ['演示审批'],
      async handle(ctx) {
        await ctx.reply({
          card: card({
            title: '演示审批',
            template: 'orange',
            elements: [
              md('**申请人：**张伟'),
              buttonRow([
                button({ text: '批准', action: 'demo.approve', type: 'primary_filled', confirm: { title: '确认批准？', text: '批准后将通知申请人' } }),
                button({ text: '旧版卡片', action: 'demo.legacy' }),
              ]),
            ],
          }),
        })
      },
    })
    router.command({
      words: ['演示表单'],
      async handle(ctx) {
        await ctx.reply({
          card: card({
            title: '演示表单',
            template: 'blue',
            elements: [
              form('demo', [
                input({ name: 'reason', label: '事由', placeholder: '请填写事由', required: true }),
                selectStatic({ name: 'kind', placeholder: '类别', options: [{ text: '工资', value: 'pay' }, { text: '工时', value: 'hours' }] }),
                datePicker({ name: 'day', placeholder: '日期' }),
                dateTimePicker({ name: 'when', placeholder: '时间' }),
                button({ text: '提交', action: 'demo.submit', formAction: 'submit', name: 'submit', type: 'primary_filled' }),
              ]),
            ],
          }),
        })
      },
    })
    router.command({
      words: ['演示导出'],
      async handle(ctx) {
        await ctx.sendFileToUser(ctx.actorOpenId, '名单.csv', Buffer.from('姓名,部门\n张伟,一车间\n'))
      },
    })
    router.command({
      words: ['回显'],
      async handle(ctx) {
        records.push({ action: 'echo', operator: ctx.actorOpenId, chatId: ctx.chatId, messageId: ctx.message.messageId, formValue: {}, text: ctx.text, mentions: ctx.mentions.map((m) => m.openId) })
        await ctx.reply({ text: '收到' })
      },
    })
    const record = (name: string, ctx: Parameters<NonNullable<Parameters<BotRouter['action']>[1]['handle']>>[0]) =>
      records.push({ action: name, operator: ctx.actorOpenId, chatId: ctx.action.chatId, messageId: ctx.action.messageId, formValue: ctx.action.formValue })
    router.action('demo.approve', {
      roles: ['officer'],
      async handle(ctx) {
        record('demo.approve', ctx)
        return {
          toast: { type: 'success', content: '已批准' },
          card: card({ title: '演示审批 · 已批准', template: 'green', elements: [md('已批准，可以归档。'), button({ text: '归档', action: 'demo.archive' })] }),
        }
      },
    })
    router.action('demo.archive', {
      roles: ['officer'],
      async handle(ctx) {
        record('demo.archive', ctx)
        const messageId = ctx.action.messageId!
        ctx.defer(() => ctx.patchCard(messageId, card({ title: '演示审批 · 已归档', template: 'grey', elements: [note('已归档')] })))
        return { toast: { type: 'info', content: '正在归档' } }
      },
    })
    router.action('demo.submit', {
      async handle(ctx) {
        record('demo.submit', ctx)
        return { toast: { type: 'success', content: `已提交：${ctx.formString('reason') ?? ''}` } }
      },
    })
    router.action('demo.legacy', {
      async handle() {
        // A 1.0 card in a 2.0 card's callback answer: Feishu refuses it (200830).
        return { card: { config: { wide_screen_mode: true }, elements: [] } as never }
      },
    })
  }
}
