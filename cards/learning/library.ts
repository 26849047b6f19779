// Cards of the 职工书屋: the book list (书屋), a loan with its return date and 归还 button, and the reminder the day
// before the return date. Titles and authors come from the officers' import (user text, escaped).
import { RETURN_BOOK } from '../../src/learning/actions.js'
import type { BookView } from '../../src/learning/model.js'
import { escapeMarkdown } from '../escape.js'
import { button, buttonRow, card, field, fitCard, halving, md, note, type Card, type CardElement } from '../kit.js'

export function buildBooksCard(v: { books: BookView[]; myLoans: Array<{ title: string; dueOn: string }> }): Card {
  return fitCard(halving(Math.max(1, v.books.length)), (max) => {
    const shown = v.books.slice(0, max)
    const lines = shown.map((b) => `- 《${escapeMarkdown(b.title)}》${b.author ? ` ${escapeMarkdown(b.author)}` : ''} · 可借 ${Math.max(0, b.copies - b.onLoan)}/${b.copies}`)
    if (v.books.length > shown.length) lines.push(`- ……共 ${v.books.length} 种，发送「借阅 书名」可直接查找`)
    const elements: CardElement[] = [md(lines.join('\n') || '书屋还没有登记图书。')]
    if (v.myLoans.length) elements.push(md(`**我借的书：**\n${v.myLoans.map((l) => `- 《${escapeMarkdown(l.title)}》 ${l.dueOn} 前归还`).join('\n')}`))
    elements.push(note('发送「借阅 书名」登记借书，「归还 书名」还书，「读书打卡 书名 感想」参加读书活动。'))
    return card({ title: '职工书屋', template: 'turquoise', summary: '职工书屋', elements })
  })
}

export function buildLoanCard(v: { loanId: number; title: string; dueOn: string; returned: boolean; reminder?: boolean }): Card {
  const elements: CardElement[] = [field('书名', `《${v.title}》`), md(`**归还日期：**${v.dueOn}`)]
  if (v.returned) elements.push(md('已归还，谢谢！'))
  else {
    if (v.reminder) elements.push(md('明天就到归还日期了，请按时把书还到职工书屋。'))
    elements.push(buttonRow([button({ text: '我已归还', action: RETURN_BOOK.name, value: RETURN_BOOK.value({ loan: v.loanId }), type: 'primary' })]))
  }
  return card({ title: v.reminder ? '还书提醒' : '借阅登记', template: v.returned ? 'grey' : 'turquoise', summary: v.reminder ? '还书提醒' : '借阅登记', elements })
}

export function buildReadingCard(v: { book: string; days: number; recent: Array<{ day: string; book: string }>; already: boolean }): Card {
  const lines = v.recent.map((r) => `- ${r.day} 《${escapeMarkdown(r.book)}》`)
  return card({
    title: '读书打卡',
    template: 'turquoise',
    summary: '读书打卡',
    elements: [md(v.already ? '今天已经打过卡了，明天继续！' : `打卡成功：《${escapeMarkdown(v.book)}》`), md(`**今年已打卡 ${v.days} 天**`), ...(lines.length ? [md(lines.join('\n'))] : [])],
  })
}
