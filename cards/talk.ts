// The short cards for what was not a command: the menu (a greeting, a bare @-mention) and "您是不是想：" with up to
// three suggested commands. Each button says its command word for the person (SAY, handled by the dispatcher).
import { DRAFT_DISCARD, DRAFT_RESUME, PAUSED_DISCARD, PAUSED_RESUME, SAY } from '../src/kit/say.js'
import { escapeMarkdown } from './escape.js'
import { button, buttonRow, card, md, note, type Card } from './kit.js'

/** The first line of the card for a message nothing was close to (tests look for it). */
export const NOT_UNDERSTOOD = '抱歉，我没有完全明白您的意思。您可以点下面的按钮，或换个说法告诉我想办的事：'
/** The first line of the suggestions card. */
export const DID_YOU_MEAN = '您是不是想：'

/** A button that runs `word` as if the person had typed it. */
function sayButton(word: string, primary = false) {
  return button({ text: word, action: SAY.name, value: SAY.value({ text: word }), type: primary ? 'primary' : 'default' })
}

const MENU_LEAD = {
  greeting: '您好！我是**工会助手**。您可以直接说出想办的事，例如「我想投诉加班费的问题」，或点下面的按钮：',
  mention: '我在。您想办理什么？点下面的按钮，或直接说出您的事情：',
  welcome: '您好，欢迎使用**工会助手**！我是工会的飞书机器人：反映问题、查看和报名活动、查询提案，都可以直接跟我说，例如「我想投诉加班费的问题」「报名 读书会」，或点下面的按钮：',
} as const

/** The menu: a greeting (or the welcome on first private contact) and the commands most people need, as buttons. */
export function buildMenuCard(view: { why: 'greeting' | 'mention' | 'welcome'; words: readonly string[] }): Card {
  const lead = MENU_LEAD[view.why]
  return card({
    title: '工会助手',
    template: 'red',
    summary: view.why === 'welcome' ? '欢迎使用工会助手' : '工会助手：您想办理什么？',
    elements: [md(lead), buttonRow(view.words.map((w, i) => sayButton(w, i === 0))), note('发送「帮助」查看全部功能。反映的问题严格保密，可选择匿名。')],
  })
}

/**
 * Nothing understood: the closest commands ("您是不是想：", said once: in the body, not again as the title, F19), or
 * the menu's buttons when none is close.
 */
export function buildSuggestionsCard(view: { suggestions: readonly string[]; menu: readonly string[] }): Card {
  const close = view.suggestions.length > 0
  const lead = close ? DID_YOU_MEAN : NOT_UNDERSTOOD
  const words = close ? view.suggestions : view.menu
  return card({
    title: '工会助手',
    template: 'blue',
    summary: close ? DID_YOU_MEAN : '工会助手：您想办理什么？',
    elements: [md(lead), buttonRow(words.map((w, i) => sayButton(w, close && i === 0))), note('发送「帮助」查看全部功能。')],
  })
}

/** Text typed after a conversation expired was kept: 继续 starts it again with the text, 放弃 erases it. */
export function buildKeptCard(view: { title: string }): Card {
  return card({
    title: '内容已保留',
    template: 'orange',
    summary: '刚才的内容已为您保留',
    elements: [
      md(`您之前的「${view.title}」已超时，刚才的内容已为您保留。`),
      buttonRow([
        button({ text: '继续', action: DRAFT_RESUME.name, value: DRAFT_RESUME.value({}), type: 'primary' }),
        button({ text: '放弃', action: DRAFT_DISCARD.name, value: DRAFT_DISCARD.value({}) }),
      ]),
      note('点「继续」从刚才那一步接着办理，刚才的内容作为这一步的回答；选择「放弃」立即删除。'),
    ],
  })
}

/** A draft put aside by another command: 继续刚才的… takes it up at its step, 放弃 erases it. */
export function buildPausedCard(view: { flow: string; title: string; minutes: number }): Card {
  return card({
    title: '内容已保存',
    template: 'orange',
    summary: `「${view.title}」已为您保存`,
    elements: [
      md(`您的「${view.title}」还没有完成，填写的内容已为您保存。办完刚才的事，可以接着办理：`),
      buttonRow([
        button({ text: `继续刚才的${view.title}`, action: PAUSED_RESUME.name, value: PAUSED_RESUME.value({ flow: view.flow }), type: 'primary' }),
        button({ text: '放弃', action: PAUSED_DISCARD.name, value: PAUSED_DISCARD.value({ flow: view.flow }) }),
      ]),
      note(`也可以发送「继续」。保存 ${view.minutes} 分钟；选择「放弃」立即删除。`),
    ],
  })
}

/** Who the bot is and how to reach a person (F34): the officers by name and role, and what to press meanwhile. */
export function buildContactCard(view: { officers: ReadonlyArray<{ name: string; role: string }>; more: number; words: readonly string[] }): Card {
  const people = view.officers.map((o) => `- ${escapeMarkdown(o.role)}：${escapeMarkdown(o.name)}`)
  const who = people.length
    ? `想直接找工会的人，可以在飞书里搜索姓名私聊，或到工会办公室当面谈：\n${people.join('\n')}${view.more > 0 ? `\n- 另有工会干部 ${view.more} 人` : ''}`
    : '工会干部名单还没有在系统里登记，请到工会办公室当面联系，或先把事情告诉我，我会转给工会干部。'
  return card({
    title: '工会助手 · 联系工会',
    template: 'red',
    summary: '我是工会助手，怎样联系工会',
    elements: [
      md('我是**工会助手**，工会的飞书机器人，不是真人。您告诉我的事情会转给工会干部处理，他们会通过我或当面答复您。'),
      md(who),
      buttonRow(view.words.map((w, i) => sayButton(w, i === 0))),
      note('反映的问题严格保密，可选择匿名。急事请直接联系工会干部本人。'),
    ],
  })
}
