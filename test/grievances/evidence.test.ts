// Evidence of grievances (issue #13): images and files a worker sends are fetched through the message-resource API and
// re-uploaded by the bot under a neutral name with image metadata removed; officers open them with 「查看附件」 on the
// case card (privately; a recused officer learns nothing); refused types and oversize files are told to the worker;
// a failed fetch is retried by the periodic task until it succeeds, and never loses the reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/clock.js'
import { MESSAGES } from '../../src/dispatch/messages.js'
import { createTestDatabase, type TestDatabase } from '../rig/test-db.js'
import { CHAIR, startTestBot, type TestBot } from '../rig/test-bot.js'
import { OFFICER_2, OFFICERS_ENV, DESCRIPTION, newWorker, reviewCard } from '../helpers/grievances.js'
import { buttonValue, clickOn, clickValue, inbox, lastTo, p2p, say, type Person } from '../helpers/chat.js'

let db: TestDatabase
let t: TestBot
const clock = new ManualClock('2026-06-01T02:00:00Z') // Monday 10:00 in Shanghai

/** A JPEG whose EXIF (APP1), XMP (APP1) and comment name the photographer and place; the pixels are a stand-in. */
function jpegWithMetadata(who: string): Buffer {
  const seg = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), Buffer.from([(body.length + 2) >> 8, (body.length + 2) & 0xff]), body])
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, Buffer.from(`Exif\0\0Artist=${who};GPS=31.2304N,121.4737E;Serial=CAM-778899`, 'utf8')),
    seg(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:creator>${who}</x:creator>`, 'utf8')),
    seg(0xfe, Buffer.from(`taken by ${who}`, 'utf8')),
    seg(0xdb, Buffer.alloc(67, 1)),
    Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0]),
    Buffer.from('PIXELDATA-PIXELDATA', 'latin1'),
    Buffer.from([0xff, 0xd9]),
  ])
}

let sent = 0
/** The worker sends an image or file privately whose original the fake serves as a message resource. */
async function sendEvidence(who: Person, kind: 'image' | 'file', data: Buffer, name?: string): Promise<string> {
  const messageId = `om_ev_${++sent}_${Math.random().toString(36).slice(2, 8)}`
  const key = kind === 'image' ? `img_v3_worker_${sent}` : `file_v3_worker_${sent}`
  t.fake.inboundFiles.set(`${messageId}/${key}`, data)
  const content = kind === 'image' ? { image_key: key } : { file_key: key, file_name: name ?? 'file.pdf' }
  const res = await t.sendMessage({ sender: who, chatId: p2p(who), chatType: 'p2p', messageType: kind, content, messageId })
  expect(res.status).toBe(200)
  await t.settle()
  return messageId
}

async function startFiling(who: Person): Promise<void> {
  await say(t, who, '投诉')
  await say(t, who, '1')
}

async function finishFiling(who: Person, anonymous: boolean): Promise<string> {
  await say(t, who, DESCRIPTION)
  await say(t, who, anonymous ? '匿名' : '实名')
  await say(t, who, '确认')
  const number = inbox(t, who)
    .map((m) => JSON.stringify(m.content).match(/G-\d{4}-\d{4}/)?.[0])
    .filter(Boolean)
    .at(-1)
  expect(number).toBeDefined()
  return number!
}

async function rowsOf(number: string) {
  const g = await t.bot.services.db.selectFrom('grievances').select('id').where('number', '=', number).executeTakeFirstOrThrow()
  return t.bot.services.db.selectFrom('evidence').selectAll().where('subject_type', '=', 'grievance').where('subject_id', '=', String(g.id)).orderBy('ordinal').execute()
}

async function tick(minutes: number): Promise<void> {
  clock.advance(minutes * 60_000)
  await t.bot.runPeriodic(clock.now())
  await t.settle()
}

beforeAll(async () => {
  db = await createTestDatabase()
  t = await startTestBot({ db, clock, env: { ...OFFICERS_ENV, EVIDENCE_FILE_MAX_KB: '4' } })
  t.fake.users.set(CHAIR.openId, { name: CHAIR.name })
  t.fake.users.set(OFFICER_2.openId, { name: OFFICER_2.name })
})
afterAll(async () => {
  await t?.stop()
  await db?.drop()
})

describe('an anonymous case’s evidence', () => {
  it('is re-uploaded by the bot with nothing of the sender: neutral file name, no original name, image metadata stripped', async () => {
    const w = newWorker(t, '欧阳证据')
    t.fake.users.set(w.openId, { name: '欧阳证据' })
    await startFiling(w)
    const photo = jpegWithMetadata('欧阳证据')
    await sendEvidence(w, 'image', photo)
    await sendEvidence(w, 'file', Buffer.from('%PDF-1.4 工资条 欧阳证据 2026-05'), '欧阳证据的工资条.pdf')
    const imagesBefore = t.fake.images.size
    const filesBefore = t.fake.files.size
    const number = await finishFiling(w, true)

    // Fetched with the right resource type each.
    const fetches = t.fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/resources/'))
    expect(fetches.map((r) => r.query.type).sort()).toEqual(['file', 'image'])

    const newImages = [...t.fake.images.values()].slice(imagesBefore)
    const newFiles = [...t.fake.files.values()].slice(filesBefore)
    expect(newImages).toHaveLength(1)
    expect(newFiles).toHaveLength(1)
    const image = newImages[0]!
    expect(image.imageType).toBe('message')
    expect(image.filename).toBe('')
    const imageBytes = image.data.toString('latin1')
    expect(imageBytes).toContain('PIXELDATA')
    for (const trace of ['Exif', 'xap', 'Artist', 'GPS', 'CAM-778899', 'taken by']) expect(imageBytes).not.toContain(trace)
    expect(image.data.toString('utf8')).not.toContain('欧阳证据')
    const file = newFiles[0]!
    expect(file.name).toBe(`${number}-附件2.pdf`)
    expect(file.fileType).toBe('pdf')
    // What the upload carried besides the bytes: no open_id, no name, not the original file name.
    const uploadMeta = JSON.stringify({ fields: [file.fields, image.fields], names: [file.name, image.filename] })
    for (const trace of [w.openId, '欧阳证据', '工资条']) expect(uploadMeta).not.toContain(trace)

    // The rows keep the bot's keys; the source message ids (which Feishu resolves to the sender) are gone.
    const rows = await rowsOf(number)
    expect(rows.map((r) => [r.kind, r.status])).toEqual([['image', 'ready'], ['file', 'ready']])
    expect(rows.every((r) => r.source_message_id === null && r.original_name === null && r.bot_key)).toBe(true)
  })

  it('opens for an officer from the case card: the re-uploads arrive privately, never the worker’s keys', async () => {
    const w = newWorker(t, '钱证据')
    await startFiling(w)
    await sendEvidence(w, 'image', jpegWithMetadata('钱证据'))
    const number = await finishFiling(w, true)
    const { messageId, card } = reviewCard(t, number)
    expect(buttonValue(card, 'evidence.open')).toBeDefined()
    const before = inbox(t, OFFICER_2).length
    const answer = await clickOn(t, OFFICER_2.openId, messageId, 'evidence.open')
    expect(answer.body.toast.content).toContain('私聊')
    const got = inbox(t, OFFICER_2).slice(before)
    expect(got.map((m) => m.msgType)).toEqual(['text', 'image'])
    expect(got[0]!.content.text).toContain(number)
    const [row] = await rowsOf(number)
    expect(got[1]!.content.image_key).toBe(row!.bot_key)
    expect(JSON.stringify(got)).not.toContain('img_v3_worker_')
    const audit = await t.bot.services.db.selectFrom('audit_log').selectAll().where('action', '=', 'evidence.open').execute()
    expect(audit.some((a) => a.subject_id === number && a.actor_open_id === OFFICER_2.openId)).toBe(true)
  })
})

describe('limits', () => {
  it('refuses programs at once in the description step, and keeps the rest of what was sent', async () => {
    const w = newWorker(t, '孙类型')
    await startFiling(w)
    await sendEvidence(w, 'file', Buffer.from('MZ'), '工具.exe')
    expect(JSON.stringify(lastTo(t, w)?.content)).toContain('不能接收 .exe 文件（程序和脚本可能有害），未保存')
    await sendEvidence(w, 'file', Buffer.from('%PDF-1.4 合同'), '劳动合同.PDF')
    const number = await finishFiling(w, false)
    const rows = await rowsOf(number)
    // Named case: the original name is kept with the row; the upload still goes under the neutral name.
    expect(rows.map((r) => [r.ordinal, r.status, r.original_name, r.extension])).toEqual([[1, 'ready', '劳动合同.PDF', 'pdf']])
    expect(t.fake.files.get(rows[0]!.bot_key!)?.name).toBe(`${number}-附件1.pdf`)
  })

  it('tells the worker when a file is larger than the limit, and keeps nothing of it', async () => {
    const w = newWorker(t, '周大小')
    await startFiling(w)
    await sendEvidence(w, 'file', Buffer.alloc(6 * 1024, 7), '录音整理.docx')
    const number = await finishFiling(w, false)
    const texts = inbox(t, w).filter((m) => m.msgType === 'text').map((m) => m.content.text as string)
    expect(texts.at(-1)).toBe(`${number} 的第 1 个附件（文件）超过 4 KB，未能保存。请压缩或拆分后重新发送。`)
    const [row] = await rowsOf(number)
    expect([row!.status, row!.refusal, row!.bot_key, row!.source_message_id]).toEqual(['refused', 'too_large', null, null])
  })
})

describe('a fetch that fails', () => {
  it('fails twice, stays on record, and succeeds through the periodic retry', async () => {
    const w = newWorker(t, '吴重试')
    await startFiling(w)
    await sendEvidence(w, 'file', Buffer.from('%PDF-1.4 考勤记录'), '考勤.pdf')
    t.fake.failNext({ method: 'GET', path: /\/resources\//, status: 500, body: { code: 500, msg: 'internal error' }, times: 2 })
    const number = await finishFiling(w, false)
    let [row] = await rowsOf(number)
    expect([row!.status, row!.attempts, row!.bot_key]).toEqual(['pending', 1, null])
    // The reference is kept: the item's key here, its message in the sealed grievance_attachment_sources only.
    expect(row!.source_message_id).toBeNull()
    expect(await t.bot.services.db.selectFrom('grievance_attachment_sources').select('message_id').where('file_key', '=', row!.source_key).executeTakeFirst()).toBeDefined()
    // The case card already offers the button; until then the officer is told the item is still being fetched.
    const { messageId } = reviewCard(t, number)
    const before = inbox(t, CHAIR).length
    await clickOn(t, CHAIR.openId, messageId, 'evidence.open')
    expect(inbox(t, CHAIR).slice(before).map((m) => m.content.text ?? m.msgType)).toEqual([`${number} 暂无可查看的附件。1 个正在获取，稍后可再点「查看附件」。`])

    await tick(1) // second try: fails again
    ;[row] = await rowsOf(number)
    expect([row!.status, row!.attempts]).toEqual(['pending', 2])
    await tick(1) // not due yet (2 minutes after the second try)
    ;[row] = await rowsOf(number)
    expect(row!.attempts).toBe(2)
    await tick(1)
    ;[row] = await rowsOf(number)
    expect([row!.status, row!.attempts, row!.source_message_id]).toEqual(['ready', 3, null])
    expect(t.fake.files.get(row!.bot_key!)?.name).toBe(`${number}-附件1.pdf`)
  })
})

describe('recusal', () => {
  it('a recused officer who clicks 查看附件 gets the stale-button answer and no file; a worker is refused', async () => {
    const w = newWorker(t, '郑回避')
    await startFiling(w)
    await sendEvidence(w, 'image', jpegWithMetadata('郑回避'))
    const number = await finishFiling(w, true)
    const value = buttonValue(reviewCard(t, number).card, 'evidence.open')!
    await say(t, OFFICER_2, `回避 ${number}`)
    const before = inbox(t, OFFICER_2).length
    const answer = await clickValue(t, OFFICER_2, value, { chatId: p2p(OFFICER_2) })
    expect(answer.body.toast.content).toBe(MESSAGES.actionUnknown)
    const after = inbox(t, OFFICER_2).slice(before)
    expect(after).toEqual([])
    // A value for a case that does not exist is answered in the same words.
    const ghost = await clickValue(t, OFFICER_2, { ...value, id: '999999' }, { chatId: p2p(OFFICER_2) })
    expect(ghost.body.toast.content).toBe(MESSAGES.actionUnknown)
    const worker = await clickValue(t, w, value, { chatId: p2p(w) })
    expect(worker.body.toast.content).toBe(MESSAGES.actionDenied)
    expect(inbox(t, w).some((m) => m.msgType === 'image')).toBe(false)
  })
})

describe('an anonymous 补充 with a photo', () => {
  it('becomes evidence only when the relay is delivered, then opens like the rest', async () => {
    const w = newWorker(t, '冯补充')
    await startFiling(w)
    const number = await finishFiling(w, true)
    const messageId = `om_ev_follow_${Date.now()}`
    t.fake.inboundFiles.set(`${messageId}/img_v3_follow`, jpegWithMetadata('冯补充'))
    await t.sendMessage({ sender: w, chatId: p2p(w), chatType: 'p2p', messageType: 'post', content: { zh_cn: { title: '', content: [[{ tag: 'text', text: `补充 ${number} 现场照片` }], [{ tag: 'img', image_key: 'img_v3_follow' }]] } }, messageId })
    await t.settle()
    expect(await rowsOf(number)).toHaveLength(0)
    await tick(61)
    const rows = await rowsOf(number)
    expect(rows.map((r) => [r.kind, r.status, r.source_message_id])).toEqual([['image', 'ready', null]])
  })
})
