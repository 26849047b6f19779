// The answer to a file sent before any import (QA F13): what was received and the imports the sender may run on it,
// one button each; and the same card once a button was chosen. Pure builder; the file name is user text, escaped.
import { CSV_IMPORT_OFFERED } from '../src/kit/csv-import-actions.js'
import { button, buttonRow, card, field, md, note, type Card, type CardElement } from './kit.js'

export interface FileOfferView {
  /** The file's name as sent ('' when Feishu gave none). */
  fileName: string
  /** The message the file came in (the buttons name it, so a newer file is never imported by an old card). */
  messageId: string
  /** The imports the sender may run, in order. */
  imports: ReadonlyArray<{ name: string; title: string }>
  /** How long the file is kept for the buttons. */
  minutes: number
  /** The import chosen (the card after the click): no buttons. */
  chosen?: string
  /** Not a CSV (an .xlsx, a picture): how to save it instead, no buttons. */
  notCsv?: boolean
}

export function buildFileOfferCard(v: FileOfferView): Card {
  const elements: CardElement[] = [field('收到文件', v.fileName || '（未命名文件）')]
  if (v.notCsv) {
    elements.push(md('只能导入 CSV 文件（.csv）：在 Excel 里「另存为」→「CSV UTF-8（逗号分隔）」后再发给我。'))
  } else if (v.chosen) {
    elements.push(md(`正在按「${v.chosen}」检查这份文件，结果稍后发给您。`))
  } else {
    elements.push(md('要用这份文件做哪一项导入？'))
    const buttons = v.imports.map((i, n) => button({ text: i.title, action: CSV_IMPORT_OFFERED.name, value: CSV_IMPORT_OFFERED.value({ import: i.name, m: v.messageId }), type: n === 0 ? 'primary' : 'default' }))
    for (let i = 0; i < buttons.length; i += 2) elements.push(buttonRow(buttons.slice(i, i + 2)))
    elements.push(note(`文件保留 ${v.minutes} 分钟。每一行都会检查，有一行有问题就整份不导入。`))
  }
  return card({ title: v.chosen ? '正在导入' : '收到文件', template: v.notCsv ? 'orange' : 'blue', summary: '收到文件', elements })
}
