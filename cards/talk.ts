// The short cards for what was not a command: the menu (a greeting, a bare @-mention) and "您是不是想：" with up to
// three suggested commands. Each button says its command word for the person (SAY, handled by the dispatcher).
import { DRAFT_DISCARD, DRAFT_RESUME, SAY } from '../src/kit/say.js'
import { button, buttonRow, card, md, note, type Card } from './kit.js'

/** The first line of the card for a message nothing was close to (tests look for it). */
export const NOT_UNDERSTOOD = '抱歉，我没有完全明白您的意思。您可以点下面的按钮，或换个说法告诉我想办的事：'
/** The first line of the suggestions card. */
export const DID_YOU_MEAN = '您是不是想：'

/** A button that runs `word` as if the person had typed it. */
function sayButton(word: string, primary = false) {
  return button({ text: word, action: SAY.name, value: SAY.value({ text: word }), type: primary ? 'primary' : 'default' })
}

/** The menu: a greeting and the commands most people need, as buttons. */
export function buildMenuCard(view: { why: 'greeting' | 'mention'; words: readonly string[] }): Card {
  const lead = view.why === 'greeting' ? '您好！我是**工会助手**。您可以直接说出想办的事，例如「我想投诉加班费的问题」，或点下面的按钮：' : '我在。您想办理什么？点下面的按钮，或直接说出您的事情：'
  return card({
    title: '工会助手',
    template: 'red',
    summary: '工会助手：您想办理什么？',
    elements: [md(lead), buttonRow(view.words.map((w, i) => sayButton(w, i === 0))), note('发送「帮助」查看全部功能。反映的问题严格保密，可选择匿名。')],
  })
}

/** Nothing understood: the closest commands ("您是不是想："), or the menu's buttons when none is close. */
export function buildSuggestionsCard(view: { suggestions: readonly string[]; menu: readonly string[] }): Card {
  const close = view.suggestions.length > 0
  const lead = close ? DID_YOU_MEAN : NOT_UNDERSTOOD
  const words = close ? view.suggestions : view.menu
  return card({
    title: close ? DID_YOU_MEAN : '工会助手',
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
      note('保留 2 小时；选择「放弃」立即删除。'),
    ],
  })
}
