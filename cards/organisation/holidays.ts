// Cards of the working-day calendar officers look after (`节假日 2027`, `节假日 设置 2027`): what the bot uses for a
// year, the preview of a typed arrangement with its problems by line, the saved arrangement, the prompt for the dates
// and the December reminder that next year's arrangement is missing. Pure builders; the officer's text is escaped.
import type { CalendarSource } from '../../src/calendar.js'
import { HOLIDAYS_CONFIRM } from '../../src/organisation/holiday-actions.js'
import { formatArrangement, SOURCE_LABEL, type ArrangementProblem, type HolidayPreviewView, type HolidayYearView } from '../../src/organisation/holidays.js'
import { formatDateTime } from '../../src/time.js'
import { escapeMarkdown, truncate } from '../escape.js'
import { assertCardWithinLimits, button, buttonRow, card, fitCard, halving, hr, md, note, type Card, type CardElement, type HeaderTemplate } from '../kit.js'

const SOURCE_TEMPLATE: Record<CalendarSource, HeaderTemplate> = { loaded: 'green', package: 'blue', estimate: 'orange' }

/** The format, as the prompt and an empty or refused text explain it. */
const FORMAT_HELP = [
  '每行一条，以「放假」或「上班」开头，日期写成 2027-02-06，连续的日子用「~」连接，例如：',
  '放假 2027-02-06~2027-02-13',
  '上班 2027-02-14',
  '以 # 开头的行是备注，不读取。',
].join('\n')

/** Lines of days in the loading format (bot-written: dates only), at most `max`, the rest counted. */
function dayLines(lines: readonly string[], max: number, empty: string): CardElement {
  if (lines.length === 0) return md(empty)
  const shown = lines.slice(0, max)
  const more = lines.length - shown.length
  return md(`${shown.join('\n')}${more > 0 ? `\n…另有 ${more} 行` : ''}`)
}

function problemLine(p: ArrangementProblem): string {
  const where = p.line > 0 ? `第 ${p.line} 行` : '整体'
  const text = p.text ? `「${escapeMarkdown(truncate(p.text, 80))}」` : ''
  return `- **${where}**${text}：${escapeMarkdown(p.reason)}`
}

export function buildHolidayYearCard(v: HolidayYearView): Card {
  return fitCard(halving(80), (max) => {
    const elements: CardElement[] = [
      md(`**来源：**${SOURCE_LABEL[v.source]}　**放假：**${v.holidayCount} 天　**调休上班：**${v.workdayCount} 天`),
    ]
    if (v.source === 'loaded' && v.loadedAt) {
      elements.push(md(`**加载人：**${escapeMarkdown(v.loadedByName || '工会干部')}　**加载时间：**${formatDateTime(v.loadedAt, v.timeZone)}`))
    }
    elements.push(hr())
    if (v.source === 'estimate') {
      const statutory = (v.statutory ?? []).slice(0, max).map((h) => `- ${h.date}　${h.name}`)
      elements.push(md(`**法定节假日（《全国年节及纪念日放假办法》）：**\n${statutory.join('\n') || '（无）'}`))
      elements.push(
        note(`国务院尚未公布或尚未加载 ${v.year} 年的放假安排：除周末外只按法定节假日计算，没有调休，涉及 ${v.year} 年的期限标注「按法定节假日估算」。公布后请发送「节假日 设置 ${v.year}」加载。`),
      )
    } else {
      elements.push(dayLines(v.lines, max, '（没有放假日期）'))
      elements.push(note(`工会干部可发送「节假日 设置 ${v.year}」加载或更正本年的官方安排。`))
    }
    return card({ title: `${v.year} 年节假日安排`, subtitle: SOURCE_LABEL[v.source], template: SOURCE_TEMPLATE[v.source], summary: `${v.year} 年节假日安排`, elements })
  })
}

/** The preview: with errors nothing can be saved and the officer's text is shown back to correct; else a confirm button. */
export function buildHolidayPreviewCard(v: HolidayPreviewView): Card {
  const ok = v.errors.length === 0
  const lines = formatArrangement(v.arrangement)
  return fitCard(halving(60), (max) => {
    const elements: CardElement[] = []
    if (ok) {
      elements.push(md(`**放假：**${v.arrangement.holidays.length} 天　**调休上班：**${v.arrangement.workdays.length} 天　**现在使用：**${SOURCE_LABEL[v.current]}`))
      elements.push(dayLines(lines, max, '（没有放假日期）'))
    } else {
      elements.push(md(`**有 ${v.errors.length} 处需要改正，什么都没有保存：**\n${v.errors.slice(0, max).map(problemLine).join('\n')}`))
    }
    if (v.warnings.length) elements.push(md(`**请核对（可以照样保存）：**\n${v.warnings.slice(0, max).map(problemLine).join('\n')}`))
    if (ok) {
      elements.push(hr())
      elements.push(
        buttonRow([
          button({
            text: '确认保存',
            type: 'primary_filled',
            action: HOLIDAYS_CONFIRM.name,
            value: HOLIDAYS_CONFIRM.value({ year: v.year, days: lines.join('\n') }),
            confirm: { title: `保存 ${v.year} 年节假日安排`, text: '保存后所有期限立即按此安排计算。' },
          }),
        ]),
      )
      elements.push(note(`如需修改，请重新发送「节假日 设置 ${v.year}」和全部日期。`))
    } else {
      const typed = Array.from(v.text.split(/\r?\n/).entries())
        .slice(0, max * 2)
        .map(([i, line]) => `${i + 1}　${escapeMarkdown(truncate(line, 120))}`)
      elements.push(hr())
      elements.push(md(`**您发送的内容（可复制后改正）：**\n${typed.join('\n')}`))
      elements.push(note(`${FORMAT_HELP.split('\n')[0]}\n请发送改正后的全部日期，或发送「取消」。`))
    }
    return card({
      title: `${v.year} 年节假日安排 · 预览`,
      subtitle: ok ? '请核对后确认保存' : '有错误，未保存',
      template: ok ? 'blue' : 'red',
      summary: `${v.year} 年节假日安排预览`,
      elements,
    })
  })
}

export function buildHolidaySavedCard(v: { year: number; holidayCount: number; workdayCount: number; lines: string[]; loadedByName: string; loadedAt: Date; timeZone: string }): Card {
  return fitCard(halving(80), (max) =>
    card({
      title: `${v.year} 年节假日安排已保存`,
      subtitle: SOURCE_LABEL.loaded,
      template: 'green',
      summary: `${v.year} 年节假日安排已保存`,
      elements: [
        md(`**放假：**${v.holidayCount} 天　**调休上班：**${v.workdayCount} 天`),
        md(`**加载人：**${escapeMarkdown(v.loadedByName || '工会干部')}　**加载时间：**${formatDateTime(v.loadedAt, v.timeZone)}`),
        dayLines(v.lines, max, '（没有放假日期）'),
        note('所有实例立即按此安排计算工作日和期限。'),
      ],
    }),
  )
}

/** The step of the conversation: which year, and the format. */
export function buildHolidayPromptCard(v: { year: number; current: CalendarSource }): Card {
  return assertCardWithinLimits(
    card({
      title: `设置 ${v.year} 年节假日安排`,
      subtitle: `现在使用：${SOURCE_LABEL[v.current]}`,
      template: 'blue',
      summary: `设置 ${v.year} 年节假日安排`,
      elements: [md(`请按国务院办公厅的通知，发送 ${v.year} 年的放假和调休上班日期。\n${FORMAT_HELP}`), note('核对预览后点击「确认保存」才会生效；发送「取消」放弃。')],
    }),
  )
}

/** The committee's weekly December reminder (bot text only). */
export function buildHolidayReminderCard(v: { year: number }): Card {
  return assertCardWithinLimits(
    card({
      title: `请加载 ${v.year} 年节假日安排`,
      template: 'orange',
      summary: `请加载 ${v.year} 年节假日安排`,
      elements: [
        md(`机器人还没有 ${v.year} 年的官方放假安排，${v.year} 年的期限现在${SOURCE_LABEL.estimate}（没有调休），可能与实际不符。`),
        md(`国务院办公厅公布安排后，请工会干部发送「节假日 设置 ${v.year}」加载；发送「节假日 ${v.year}」查看现在使用的日期。`),
        note('加载前每周提醒一次。'),
      ],
    }),
  )
}
