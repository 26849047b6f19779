// The 「查看附件」 button of every card that shows a case's images and files (src/kit/evidence.ts): one call in the
// card builder. The click sends the bot's re-uploads privately to whoever may open them (the feature decides).
import { EVIDENCE_OPEN } from '../src/kit/evidence-model.js'
import { button, buttonRow, type CardElement } from './kit.js'

/** The button as a row of its own, or nothing when the subject has no attachments. */
export function evidenceButton(subject: { type: string; id: string | number }, count: number, text = '查看附件'): CardElement[] {
  if (count <= 0) return []
  return [buttonRow([evidenceButtonOnly(subject, count, text)])]
}

/** Just the button, to put in a row with others. */
export function evidenceButtonOnly(subject: { type: string; id: string | number }, count: number, text = '查看附件'): CardElement {
  return button({ text: `${text}（${count}）`, action: EVIDENCE_OPEN.name, value: EVIDENCE_OPEN.value({ t: subject.type, id: String(subject.id) }), type: 'default' })
}
