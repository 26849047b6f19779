// Normalization of Feishu envelopes into our Update types, from the real samples and each message type.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MAX_BODY_DEPTH, createTimeMs, normalizeEnvelope } from '../../src/feishu/normalize.js'
import { matchWord, normalizeText, renderMentions } from '../../src/dispatch/text.js'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'))

const withContent = (messageType: string, content: unknown) => {
  const env = fixture('im.message.receive_v1.group-mention.json')
  env.event.message.message_type = messageType
  env.event.message.content = JSON.stringify(content)
  return env
}

describe('normalizeEnvelope', () => {
  it('refuses a body nested deeper than MAX_BODY_DEPTH (review F10) and reads one at the limit', () => {
    const nestIn = (levels: number) => {
      const env = fixture('card.action.trigger.v2.json')
      let v: Record<string, unknown> = { action: 'x' }
      // The callback value sits at depth 4 (envelope, event, action, value); nest below it up to `levels` in total.
      for (let i = 4; i < levels; i++) v = { a: v }
      env.event.action.value = v
      return normalizeEnvelope(env)
    }
    expect(nestIn(MAX_BODY_DEPTH).ok).toBe(true)
    expect(nestIn(MAX_BODY_DEPTH + 1)).toEqual({ ok: false, reason: 'malformed', detail: `body nested deeper than ${MAX_BODY_DEPTH} levels` })
    expect(nestIn(20_000).ok).toBe(false)
  })

  it('reads header.create_time in seconds, milliseconds (events) and microseconds (card callbacks)', () => {
    expect(createTimeMs('1608725989000')).toBe(1608725989000)
    expect(createTimeMs('1603977298000000')).toBe(1603977298000)
    expect(createTimeMs('1608725989')).toBe(1608725989000)
    expect(createTimeMs('0')).toBe(0)
    for (const bad of ['', '-5', '1e12', '2026-12-03', '99999999999999999999', undefined, null, 1.5]) expect(createTimeMs(bad)).toBeUndefined()
  })

  it('reads contact.user.deleted_v3 as a user_left update, and refuses one without the open_id', () => {
    // The documented sample's shape (docs/feishu-platform.md#other-events): event.object is the user as they were.
    const env = {
      schema: '2.0',
      header: { event_id: 'ev_left_1', event_type: 'contact.user.deleted_v3', create_time: '1608725989000', token: 't', app_id: 'cli_x', tenant_key: 'tk' },
      event: { object: { open_id: 'ou_left', union_id: 'on_left', user_id: 'e33ggbyz', name: '张三', department_ids: ['od-1'] }, old_object: { department_ids: ['od-1'] } },
    }
    expect(normalizeEnvelope(env)).toEqual({ ok: true, update: { kind: 'user_left', eventId: 'ev_left_1', openId: 'ou_left' }, dedupKey: 'evt:ev_left_1' })
    const noId = { ...env, event: { object: { name: '张三' } } }
    expect(normalizeEnvelope(noId)).toEqual({ ok: false, reason: 'malformed', detail: 'missing object.open_id' })
  })

  it('reads the documented im.message.receive_v1 sample', () => {
    const r = normalizeEnvelope(fixture('im.message.receive_v1.group-mention.json'))
    expect(r.ok).toBe(true)
    if (!r.ok || r.update.kind !== 'message') throw new Error('expected a message')
    expect(r.dedupKey).toBe('msg:om_5ce6d572455d361153b7cb51da133945')
    expect(r.update.message).toMatchObject({
      chatType: 'group',
      chatId: 'oc_5ce6d572455d361153b7xx51da133945',
      senderOpenId: 'ou_84aad35d084aa403a838cf73ee18467',
      rawText: '@_user_1 hello',
      mentions: [{ key: '@_user_1', openId: 'ou_84aad35d084aa403a838cf73ee18467', name: 'Tom' }],
    })
  })

  it('reads the documented card.action.trigger sample (form values, context)', () => {
    const env = fixture('card.action.trigger.v2.json')
    env.event.action.value = { action: 'grievance.accept', id: 'G-2026-0001' }
    const r = normalizeEnvelope(env)
    if (!r.ok || r.update.kind !== 'card_action') throw new Error('expected a card action')
    expect(r.update.action).toMatchObject({
      operatorOpenId: 'ou_3c14f3a59eaf2825dbe25359f15*****',
      name: 'grievance.accept',
      messageId: 'om_574d639e4a44e4dd646eaf628e2*****',
      chatId: 'oc_e4d2605ca917e695f54f11aaf56*****',
    })
    expect(r.update.action.formValue['Input_lf4fmxwfrd9']).toBe('1234')
  })

  it('reads images, files and rich-text posts as attachments and text', () => {
    const image = normalizeEnvelope(withContent('image', { image_key: 'img_v2_1' }))
    const file = normalizeEnvelope(withContent('file', { file_key: 'file_v2_1', file_name: '合同.pdf' }))
    const post = normalizeEnvelope(withContent('post', { title: '情况说明', content: [[{ tag: 'text', text: '第一段' }, { tag: 'at', user_id: '@_user_1' }], [{ tag: 'img', image_key: 'img_v2_2' }]] }))
    const get = (r: ReturnType<typeof normalizeEnvelope>) => (r.ok && r.update.kind === 'message' ? r.update.message : undefined)
    expect(get(image)?.attachments).toEqual([{ kind: 'image', key: 'img_v2_1' }])
    expect(get(file)?.attachments).toEqual([{ kind: 'file', key: 'file_v2_1', name: '合同.pdf' }])
    expect(get(post)?.rawText).toBe('情况说明\n第一段@_user_1\n')
    expect(get(post)?.attachments).toEqual([{ kind: 'image', key: 'img_v2_2' }])
  })

  it('treats unparseable content as empty text rather than failing', () => {
    const env = fixture('im.message.receive_v1.group-mention.json')
    env.event.message.content = '{not json'
    const r = normalizeEnvelope(env)
    expect(r.ok && r.update.kind === 'message' && r.update.message.rawText).toBe('')
  })

  it('reports missing ids as malformed and unknown types as unknown', () => {
    const env = fixture('im.message.receive_v1.group-mention.json')
    delete env.event.sender.sender_id.open_id
    expect(normalizeEnvelope(env)).toMatchObject({ ok: false, reason: 'malformed' })
    const other = fixture('im.message.receive_v1.group-mention.json')
    other.header.event_type = 'im.message.reaction.created_v1'
    expect(normalizeEnvelope(other)).toMatchObject({ ok: false, reason: 'unknown_type' })
    expect(normalizeEnvelope({ schema: '1.0' })).toMatchObject({ ok: false, reason: 'malformed' })
  })
})

describe('text matching', () => {
  it('normalizes full-width characters and spaces', () => {
    expect(normalizeText('  ＨＥＬＰ　我 ')).toBe('help 我')
  })

  it('matches whole command words only', () => {
    expect(matchWord('报名 a-012', '报名')).toBe('a-012')
    expect(matchWord('报名a-012', '报名')).toBe('a-012')
    expect(matchWord('报名表', '报名')).toBeUndefined()
    expect(matchWord('helpme', 'help')).toBeUndefined()
    expect(matchWord('help', 'help')).toBe('')
  })

  it('removes the bot mention and names the others', () => {
    const mentions = [
      { key: '@_user_1', openId: 'ou_bot', name: '工会助手' },
      { key: '@_user_2', openId: 'ou_li', name: '李四' },
    ]
    expect(renderMentions('@_user_1 代表 添加 @_user_2', mentions, 'ou_bot')).toBe('代表 添加 @李四')
    expect(renderMentions('@_all 开会', [], 'ou_bot')).toBe('@所有人 开会')
  })
})
