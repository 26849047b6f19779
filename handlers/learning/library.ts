// The 职工书屋: `书屋` (the book list; `书屋 导入` for officers), `借阅 <书名>` (a loan with a return date, refused when
// every copy is out), `归还 <书名>` or the card's 我已归还, `读书打卡 <书名> [感想]`, and the reminder sent once, the
// day before the return date, from 09:00 (claimOnce of src/kit/periodic.ts).
import { buildBooksCard, buildLoanCard, buildReadingCard } from '../../cards/learning/library.js'
import type { CardActionContext, MessageContext, PeriodicContext } from '../../src/dispatch/context.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { MORNING } from '../../src/kit/periodic.js'
import { charCount } from '../../src/kit/text.js'
import { RETURN_BOOK } from '../../src/learning/actions.js'
import { checkInReading, claimLoanReminder, giveBack, lend, markLoanReminded, readingOf } from '../../src/learning/library.js'
import { BOOK_TITLE_MAX, READING_NOTE_MAX } from '../../src/learning/model.js'
import { findBooks, listBooks, loansDueOn, myOpenLoans, upsertBook } from '../../src/learning/store.js'
import { addDays, localDate, zonedInstant } from '../../src/time.js'
import { SECTION } from './hours.js'
import { startImport } from './imports.js'

const today = (ctx: { now(): Date; config: { timezone: string } }) => localDate(ctx.now(), ctx.config.timezone)

async function books(ctx: MessageContext): Promise<void> {
  const [sub = '', ...rest] = ctx.argsTyped.split(/\s+/)
  if (sub === '导入' || sub === 'import' || sub === '添加' || sub === 'add') {
    // Officers keep the book list (the 借阅台账 of the "十有" standard); a finer rule than a router role, since 书屋 is for all.
    if (!(await ctx.isOfficer())) throw new UserFacingError('FORBIDDEN_ROLE', '抱歉，只有工会干部可以登记图书。')
    return sub === '导入' || sub === 'import' ? startImport(ctx, 'books') : addBook(ctx, rest.join(' '))
  }
  await ctx.reply({ card: buildBooksCard({ books: await listBooks(ctx.db), myLoans: await myOpenLoans(ctx.db, ctx.actorOpenId) }) })
}

/** `书屋 添加 《书名》 作者 册数` (or a title without spaces, without the 《》): one book, without a file. */
async function addBook(ctx: MessageContext, text: string): Promise<void> {
  const m = /^《([^》]+)》\s*(.*)$/.exec(text.trim()) ?? /^(\S+)\s*(.*)$/.exec(text.trim())
  const title = m?.[1]?.trim() ?? ''
  const words = (m?.[2] ?? '').split(/\s+/).filter(Boolean)
  const copies = words.length && /^\d{1,4}$/.test(words.at(-1)!) ? Number(words.pop()) : 1
  const author = words.join(' ') || undefined
  if (!title || charCount(title) > BOOK_TITLE_MAX || (author && charCount(author) > BOOK_TITLE_MAX) || copies < 1 || copies > 1000) {
    throw new UserFacingError('INVALID_INPUT', `用法：书屋 添加 《书名》 作者 册数，例如：书屋 添加 《平凡的世界》 路遥 3（书名、作者不超过 ${BOOK_TITLE_MAX} 字，册数 1–1000）`)
  }
  await upsertBook(ctx.db, { title, author, copies, at: ctx.now() })
  await ctx.audit({ action: 'library.book.add', subjectType: 'library_book', subjectId: title.slice(0, 60) })
  await ctx.reply({ text: `已登记《${title}》${author ? `（${author}）` : ''}，共 ${copies} 册。` })
}

/** The one book a typed title names: exact, or the only title containing it; otherwise a polite question. */
async function bookOf(ctx: MessageContext, usage: string): Promise<{ id: number; title: string }> {
  const text = ctx.argsTyped.replace(/^《|》$/g, '').trim()
  if (!text) throw new UserFacingError('INVALID_INPUT', `请写上书名，例如：${usage}`)
  const found = await findBooks(ctx.db, text)
  if (found.length === 0) throw new UserFacingError('NOT_FOUND', `书屋里没有找到「${text}」。发送「书屋」查看全部图书。`)
  if (found.length > 1) throw new UserFacingError('INVALID_INPUT', `有几本书都包含「${text}」：${found.map((b) => `《${b.title}》`).join('、')}，请写完整书名。`)
  return found[0]!
}

async function borrow(ctx: MessageContext): Promise<void> {
  const book = await bookOf(ctx, '借阅 平凡的世界')
  const day = today(ctx)
  const dueOn = addDays(day, ctx.config.library.loanDays)
  const r = await ctx.db.transaction().execute((trx) => lend(trx, { bookId: book.id, openId: ctx.actorOpenId, today: day, dueOn, eventId: ctx.eventId }))
  if (r.outcome === 'none_left') throw new UserFacingError('INVALID_STATE', `《${book.title}》的 ${r.copies} 册都已借出，请过几天再来借。`)
  const card = buildLoanCard({ loanId: r.loanId, title: book.title, dueOn: r.dueOn, returned: false })
  if (r.outcome === 'already') await ctx.reply({ text: `您已借了《${book.title}》，请在 ${r.dueOn} 前归还。` })
  if (ctx.isGroup) return void (await ctx.replyPrivately({ card }))
  await ctx.reply({ card })
}

async function giveBackByTitle(ctx: MessageContext): Promise<void> {
  const book = await bookOf(ctx, '归还 平凡的世界')
  const loan = (await myOpenLoans(ctx.db, ctx.actorOpenId)).find((l) => l.title === book.title)
  if (!loan || !(await giveBack(ctx.db, loan.id, ctx.actorOpenId, today(ctx)))) throw new UserFacingError('NOT_FOUND', `您没有借《${book.title}》，或已归还。`)
  await ctx.reply({ text: `已登记归还《${book.title}》，谢谢！` })
}

async function returnByButton(ctx: CardActionContext, loanId: number) {
  const loan = await ctx.db.selectFrom('library_loans as l').innerJoin('library_books as b', 'b.id', 'l.book_id').select(['l.open_id', 'l.due_on', 'l.returned_on', 'b.title']).where('l.id', '=', loanId).executeTakeFirst()
  if (!loan || loan.open_id !== ctx.actorOpenId) throw new UserFacingError('NOT_FOUND', '这不是您的借阅记录。')
  const done = await giveBack(ctx.db, loanId, ctx.actorOpenId, today(ctx))
  return { toast: { type: done ? ('success' as const) : ('info' as const), content: done ? '已登记归还，谢谢！' : '这本书已归还。' }, card: buildLoanCard({ loanId, title: loan.title, dueOn: loan.due_on, returned: true }) }
}

async function reading(ctx: MessageContext): Promise<void> {
  const [title = '', ...rest] = ctx.argsTyped.split(/\s+/)
  const book = title.replace(/^《|》$/g, '')
  if (!book) throw new UserFacingError('INVALID_INPUT', '请写上在读的书，例如：读书打卡 平凡的世界 今天读到孙少平进城')
  if (charCount(book) > BOOK_TITLE_MAX) throw new UserFacingError('INVALID_INPUT', `书名不能超过 ${BOOK_TITLE_MAX} 个字。`)
  const note = rest.join(' ').trim()
  if (charCount(note) > READING_NOTE_MAX) throw new UserFacingError('INVALID_INPUT', `感想不能超过 ${READING_NOTE_MAX} 个字（现在 ${charCount(note)} 字）。`)
  const day = today(ctx)
  const added = await checkInReading(ctx.db, { openId: ctx.actorOpenId, day, book, note: note || undefined, at: ctx.now() })
  const mine = await readingOf(ctx.db, ctx.actorOpenId, Number(day.slice(0, 4)))
  const card = buildReadingCard({ book, days: mine.days, recent: mine.recent, already: !added })
  if (ctx.isGroup) return void (await ctx.replyPrivately({ card }))
  await ctx.reply({ card })
}

/** The reminder the day before the return date, from 09:00 local, once per loan (lease, send with a derived uuid, mark). */
async function remind(ctx: PeriodicContext): Promise<void> {
  const tz = ctx.config.timezone
  const now = ctx.now()
  const day = localDate(now, tz)
  if (now.getTime() < zonedInstant(day, MORNING, tz).getTime()) return
  for (const loan of await loansDueOn(ctx.db, addDays(day, 1))) {
    if (!(await claimLoanReminder(ctx.db, loan.id, now, 5 * 60_000))) continue
    const card = buildLoanCard({ loanId: loan.id, title: loan.title, dueOn: loan.dueOn, returned: false, reminder: true })
    await deliver(ctx, 'library:reminder', () => ctx.sendToUser(loan.openId, { card }, { key: `library-reminder:${loan.id}` }), { loan: loan.id })
    await markLoanReminded(ctx.db, loan.id, now)
  }
}

export function registerLibrary(router: BotRouter): void {
  router.command({ words: ['书屋', '职工书屋', 'library'], synonyms: ['图书室', '图书角', '有什么书'], help: { section: SECTION, usage: '书屋', description: '职工书屋的图书和可借册数（干部：书屋 添加 / 书屋 导入）' }, handle: books })
  router.command({ words: ['借阅', '借书', 'borrow'], takesText: true, help: { section: SECTION, usage: '借阅 书名', description: '登记借书，到期前一天提醒还书' }, handle: borrow })
  router.command({ words: ['归还', '还书', 'return book'], takesText: true, help: { section: SECTION, usage: '归还 书名', description: '登记还书' }, handle: giveBackByTitle })
  router.command({ words: ['读书打卡', 'reading'], takesText: true, help: { section: SECTION, usage: '读书打卡 书名 [感想]', description: '读书活动每日打卡' }, handle: reading })
  router.action(RETURN_BOOK, { handle: (ctx, p) => returnByButton(ctx, p.loan) })
  router.periodic({ name: 'library.reminders', run: remind })
}
