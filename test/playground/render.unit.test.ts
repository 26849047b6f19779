// The playground's card renderer (playground/web/card-render.js), run in Node on its virtual nodes: Feishu's 28
// published 2.0 examples render with no placeholder, the bot's own cards too, unknown elements do show one, the
// markdown subset, and escaped user text shows literally (the browser side is in playground-e2e.test.ts).
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { escapeMarkdown, stripControl } from '../../cards/escape.js'
import { buildHelpCard } from '../../cards/help.js'
import { button, buttonRow, card, columns, datePicker, dateTimePicker, field, form, hr, input, md, note, selectStatic, userText } from '../../cards/kit.js'
import { pickerValue, renderCard } from '../../playground/web/card-render.js'
import { renderInline, renderMarkdown } from '../../playground/web/markdown.js'
import { allNodes, textOf, type VChild, type VNode } from '../../playground/web/vnode.js'

const EXAMPLES_DIR = process.env.FEISHU_CARD_EXAMPLES_DIR ?? fileURLToPath(new URL('../fixtures/card-examples/', import.meta.url))
const examples = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, card: (JSON.parse(readFileSync(`${EXAMPLES_DIR}/${file}`, 'utf8')) as { card: Record<string, unknown> }).card }))

const ctx = { nameOf: (id: string) => ({ ou_zhang: '张伟', ou_li: '李娜' })[id] }
const placeholders = (node: VNode) => allNodes(node).filter((n) => n.props.class?.split(' ').includes('fc-unknown'))
const byClass = (node: VChild | VChild[], cls: string) => allNodes(node).filter((n) => n.props.class?.split(' ').includes(cls))
const byTag = (node: VChild | VChild[], tag: string) => allNodes(node).filter((n) => n.tag === tag)

describe("Feishu's published card examples", () => {
  it('are all there (28 cards in JSON 2.0)', () => {
    expect(examples).toHaveLength(28)
    for (const { card } of examples) expect(card.schema).toBe('2.0')
  })

  it.each(examples.map((e) => [e.file, e.card] as const))('%s renders with no placeholder', (_file, example) => {
    const tree = renderCard(example, ctx)
    expect(placeholders(tree).map((n) => n.props.data?.unknown)).toEqual([])
    // Something real came out: the body has content, and the header (if any) its title.
    expect(textOf(tree).trim().length).toBeGreaterThan(0)
    const header = example.header as { title?: { content?: string } } | undefined
    if (header?.title?.content) expect(textOf(byClass(tree, 'fc-title'))).toBe(header.title.content)
  })

  it('draws what the examples are known for: a chart, a form, a table, a sign-up list', () => {
    const get = (name: string) => renderCard(examples.find((e) => e.file === name)!.card, ctx)
    const dashboard = get('data-report-dashboard.json')
    const chart = byClass(dashboard, 'fc-chart')
    expect(chart).toHaveLength(1)
    expect(chart[0]!.props.on?.kind).toBe('chart')
    expect((chart[0]!.props.on?.spec as { type?: string }).type).toBe('bar')
    expect(byTag(dashboard, 'table')).toHaveLength(1)
    const feedback = get('equipment-service-feedback.json')
    const fields = allNodes(feedback).filter((n) => n.props.on && ['input', 'select'].includes(n.props.on.kind))
    expect(fields.map((n) => n.props.on!.name)).toEqual(expect.arrayContaining([expect.any(String)]))
    const submit = allNodes(feedback).find((n) => n.props.on?.formAction === 'submit')
    expect(submit).toBeDefined()
    const signUp = get('event-announcement.json')
    expect(byClass(signUp, 'fc-person').length).toBeGreaterThanOrEqual(3)
    expect(allNodes(signUp).some((n) => n.tag === 'button' && textOf(n).includes('立即接龙'))).toBe(true)
  })
})

describe('confidential cards (config.enable_forward = false)', () => {
  const marker = (tree: VNode) => byClass(tree, 'fc-no-forward')
  it('are marked 禁止转发; cards that may be forwarded are not', () => {
    const confidential = { ...card({ title: '维权诉求', elements: [md('正文')] }), config: { update_multi: true, enable_forward: false } }
    const tree = renderCard(confidential, ctx)
    expect(marker(tree)).toHaveLength(1)
    expect(textOf(marker(tree))).toContain('禁止转发')
    expect(textOf(tree)).toContain('正文')
    expect(marker(renderCard({ ...confidential, config: { update_multi: true, enable_forward: true } }, ctx))).toHaveLength(0)
    expect(marker(renderCard(card({ title: '活动', elements: [md('正文')] }), ctx))).toHaveLength(0)
  })
})

describe('unknown elements', () => {
  it('show a visible placeholder naming the element instead of vanishing', () => {
    const tree = renderCard({ schema: '2.0', config: { update_multi: true }, body: { elements: [md('前'), { tag: 'holo_projector', beam: 1 }, md('后')] } }, ctx)
    const found = placeholders(tree)
    expect(found).toHaveLength(1)
    expect(textOf(found[0]!)).toContain('<holo_projector>')
    expect(textOf(tree)).toContain('前')
    expect(textOf(tree)).toContain('后')
  })

  it('also inside columns and forms', () => {
    const tree = renderCard({ schema: '2.0', config: { update_multi: true }, body: { elements: [columns([[{ tag: 'mystery' }]]), form('f', [{ tag: 'slider', name: 's' }])] } }, ctx)
    expect(placeholders(tree).map((n) => n.props.data?.unknown)).toEqual(['<mystery>', '<slider>'])
  })
})

describe('robustness', () => {
  it('never throws on odd card JSON; whatever it cannot read shows as a placeholder (property)', () => {
    const tags = fc.constantFrom('markdown', 'div', 'column_set', 'column', 'button', 'form', 'input', 'select_static', 'img', 'chart', 'table', 'person_list', 'collapsible_panel', 'hr', 'weird')
    const element = fc.letrec((tie) => ({
      el: fc.record({ tag: tags, content: fc.oneof(fc.string(), fc.integer()), elements: fc.array(tie('any'), { maxLength: 3 }), columns: fc.array(tie('any'), { maxLength: 3 }), text: fc.oneof(fc.string(), fc.record({ tag: fc.constantFrom('plain_text', 'lark_md'), content: fc.string() })), rows: fc.array(fc.jsonValue(), { maxLength: 3 }), width: fc.oneof(fc.string(), fc.integer()), margin: fc.string() }, { requiredKeys: ['tag'] }),
      any: fc.oneof(tie('el'), fc.jsonValue()),
    })).any
    fc.assert(
      fc.property(fc.array(element, { maxLength: 5 }), fc.jsonValue(), (elements, header) => {
        const tree = renderCard({ schema: '2.0', config: { update_multi: true }, header, body: { elements } }, ctx)
        const body = byClass(tree, 'fc-body')[0]!
        const known = ['markdown', 'div', 'column_set', 'column', 'button', 'form', 'input', 'select_static', 'img', 'chart', 'table', 'person_list', 'collapsible_panel', 'hr']
        const unreadable = (e: unknown) => typeof e !== 'object' || e === null || Array.isArray(e) || !known.includes((e as { tag?: never }).tag ?? '')
        return body.children.length === elements.length && elements.every((e, i) => unreadable(e) === (body.children[i] as VNode).props.class?.includes('fc-unknown'))
      }),
      { numRuns: 300 },
    )
  })
})

describe("the bot's own cards", () => {
  it('every card-kit building block renders with no placeholder, with its interaction', () => {
    const built = card({
      title: '诉求 G-2026-0007',
      subtitle: '待受理',
      template: 'orange',
      tags: [{ text: '加急', color: 'red' }],
      summary: '新诉求',
      elements: [
        field('反映人', '张伟'),
        userText('工资<at id=all></at>拖欠', { label: '内容' }),
        note('3 个工作日内受理'),
        hr(),
        columns([[md('**待受理**')], [md('**已办结**')]]),
        buttonRow([button({ text: '受理', action: 'grievance.accept', value: { id: 'g7' }, type: 'primary_filled', confirm: { title: '确认受理？', text: '受理后通知反映人' } }), button({ text: '驳回', action: 'grievance.reject', type: 'danger' })]),
        form('reply', [
          input({ name: 'reason', placeholder: '请填写', label: '处理意见', required: true, multiline: true, maxLength: 500 }),
          selectStatic({ name: 'kind', placeholder: '类别', options: [{ text: '工资', value: 'pay' }], initial: 'pay' }),
          datePicker({ name: 'day', placeholder: '日期', initialDate: '2026-12-01' }),
          dateTimePicker({ name: 'when', placeholder: '时间', initialDatetime: '2026-12-01 09:30' }),
          button({ text: '提交', action: 'grievance.reply', formAction: 'submit', name: 'submit', type: 'primary' }),
        ]),
      ],
    })
    const tree = renderCard(built, ctx)
    expect(placeholders(tree)).toEqual([])
    expect(byClass(tree, 'fc-header')[0]!.props.data?.template).toBe('orange')
    expect(textOf(byClass(tree, 'fc-subtitle'))).toBe('待受理')
    expect(textOf(byClass(tree, 'fc-header-tags'))).toBe('加急')
    const accept = allNodes(tree).find((n) => n.tag === 'button' && textOf(n) === '受理')!
    expect(accept.props.on).toMatchObject({ kind: 'button', callback: true, value: { action: 'grievance.accept', id: 'g7' }, confirm: { title: '确认受理？', text: '受理后通知反映人' } })
    const submit = allNodes(tree).find((n) => n.tag === 'button' && textOf(n) === '提交')!
    expect(submit.props.on).toMatchObject({ formAction: 'submit', name: 'submit', value: { action: 'grievance.reply' } })
    const fields = allNodes(tree).filter((n) => n.props.on?.name && n.tag !== 'button' && n.props.on.kind !== 'form')
    expect(fields.map((n) => [n.props.on!.kind, n.props.on!.name, n.props.on!.required ?? false])).toEqual([
      ['input', 'reason', true],
      ['select', 'kind', false],
      ['date', 'day', false],
      ['datetime', 'when', false],
    ])
    expect(allNodes(tree).find((n) => n.props.on?.name === 'when')!.props.attrs?.value).toBe('2026-12-01T09:30')
    // The mention typed by the user is text, not a mention.
    expect(byClass(tree, 'md-at')).toEqual([])
    expect(textOf(tree)).toContain('工资<at id=all></at>拖欠')
  })

  it('the help card renders with its red header, bold usage and the note', () => {
    const tree = renderCard(buildHelpCard([{ section: '常用', usage: '帮助', description: '查看本说明' }]), ctx)
    expect(placeholders(tree)).toEqual([])
    expect(byClass(tree, 'fc-header')[0]!.props.data?.template).toBe('red')
    expect(textOf(byClass(tree, 'fc-title'))).toBe('工会助手 · 使用帮助')
    expect(byTag(tree, 'strong').map((n) => textOf(n))).toEqual(expect.arrayContaining(['工会助手', '常用', '帮助']))
    expect(byClass(tree, 'fc-hr').length).toBe(2)
  })
})

describe('markdown subset', () => {
  const md1 = (s: string) => renderMarkdown(s, ctx)

  it('inline styles, links, mentions, colours and tags', () => {
    const tree = md1("**粗** *斜* ~~删~~ `码` [链接](https://example.com/a) <at id=ou_zhang></at> <at id=all></at> <font color='red'>红</font> <text_tag color='blue'>标签</text_tag> <number_tag>3</number_tag>")
    expect(textOf(byTag(tree, 'strong'))).toBe('粗')
    expect(textOf(byTag(tree, 'em'))).toBe('斜')
    expect(textOf(byTag(tree, 'del'))).toBe('删')
    expect(textOf(byTag(tree, 'code'))).toBe('码')
    expect(byTag(tree, 'a')[0]!.props.attrs?.href).toBe('https://example.com/a')
    expect(byClass(tree, 'md-at').map((n) => textOf(n))).toEqual(['@张伟', '@所有人'])
    expect(byClass(tree, 'md-font')[0]!.props.style?.color).toBe('#f54a45')
    expect(textOf(byClass(tree, 'fc-text-tag'))).toBe('标签')
    expect(textOf(byClass(tree, 'md-number-tag'))).toBe('3')
  })

  it('blocks: headings, lists (nested, ordered), quotes, code, tables, rules, line breaks', () => {
    const tree = md1('# 一\n### 三\n- a\n  - b\n1. x\n2. y\n> 引用\n```\n**不是粗体**\n```\n| 列1 | 列2 |\n| --- | :-: |\n| 1 | 2 |\n---\n第一行\n第二行')
    expect(byClass(tree, 'md-h1').map((n) => textOf(n))).toEqual(['一'])
    expect(byClass(tree, 'md-h3').map((n) => textOf(n))).toEqual(['三'])
    expect(byTag(tree, 'ul')).toHaveLength(2)
    expect(byTag(tree, 'ol').map((n) => textOf(n))).toEqual(['1.x2.y'])
    expect(textOf(byTag(tree, 'blockquote'))).toBe('引用')
    expect(textOf(byTag(tree, 'pre'))).toBe('**不是粗体**')
    expect(byTag(tree, 'th').map((n) => textOf(n))).toEqual(['列1', '列2'])
    expect(byTag(tree, 'hr')).toHaveLength(1)
    expect(textOf(byTag(tree, 'p').at(-1) as VNode)).toBe('第一行\n第二行')
  })

  it('never links anything but web, mail and Feishu addresses', () => {
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'vbscript:x']) {
      const tree = renderInline(`[点我](${bad}) <a href="${bad}">a</a> <link url="${bad}">l</link>`, ctx)
      expect(byTag(tree, 'a')).toEqual([])
    }
  })

  it('unknown tags and stray text show as typed', () => {
    expect(textOf(renderInline('<script>alert(1)</script> <b>x</b> 5 < 6', ctx))).toBe('<script>alert(1)</script> <b>x</b> 5 < 6')
  })

  it('plain_text never parses markup or entities', () => {
    const tree = renderCard({ schema: '2.0', config: { update_multi: true }, header: { title: { tag: 'plain_text', content: '<b>&#60;x&#62;</b> **y**' } }, body: { elements: [] } }, ctx)
    expect(textOf(byClass(tree, 'fc-title'))).toBe('<b>&#60;x&#62;</b> **y**')
  })
})

describe('escaped user text', () => {
  it('shows "&#60;at id=all&#62;" as "<at id=all>" and mentions nobody', () => {
    const tree = renderMarkdown('&#60;at id=all&#62;&#60;/at&#62; &#91;点我&#93;&#40;https&#58;&#47;&#47;evil.example&#41; &#42;&#42;粗&#42;&#42; &sim;', ctx)
    expect(textOf(tree)).toBe('<at id=all></at> [点我](https://evil.example) **粗** ~')
    expect(byClass(tree, 'md-at')).toEqual([])
    expect(byTag(tree, 'a')).toEqual([])
    expect(byTag(tree, 'strong')).toEqual([])
  })

  it('whatever a user types, escapeMarkdown + the renderer show exactly that text and no markup (property)', () => {
    const unit = fc.constantFrom(...'<>[]()*#_~`!:@/\\"\'=|&;+-$ ', 'at', 'id=all', 'href', 'font', '&#60;', '&lt;', 'http://x.y', ':OK:', '中', '文', 'a')
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), fc.boolean(), (s, multiline) => {
        const typed = multiline ? `${s}\n${s}` : s
        const tree = renderMarkdown(escapeMarkdown(typed), ctx)
        const nodes = allNodes(tree)
        // Only paragraphs and line breaks: no link, mention, emphasis, heading, list, code, emoji, tag.
        if (nodes.some((n) => n.tag !== 'p' && n.tag !== 'br')) return false
        const shown = textOf(tree)
        const expected = stripControl(typed)
          .split('\n')
          .filter((line) => line.trim() !== '')
          .join('\n')
        return shown.split('\n').map((l) => l.trim()).join('\n') === expected.split('\n').map((l) => l.trim()).join('\n')
      }),
      { numRuns: 1000 },
    )
  })
})

describe('picker values', () => {
  it('are sent in Feishu formats with the viewer’s UTC offset', () => {
    expect(pickerValue('date', '2026-12-01', 480)).toBe('2026-12-01 +0800')
    expect(pickerValue('time', '09:30', 480)).toBe('09:30 +0800')
    expect(pickerValue('datetime', '2026-12-01T09:30', 480)).toBe('2026-12-01 09:30 +0800')
    expect(pickerValue('date', '2026-12-01', -330)).toBe('2026-12-01 -0530')
  })
})
