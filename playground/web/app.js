// The playground page: a stand-in for the Feishu client. Pick who you are and a chat, type (mention the bot with
// @工会助手 in groups), click buttons and submit forms on the bot's cards. Every action goes to the server, which
// turns it into a real, encrypted and signed Feishu event for the bot's webhook; what the bot sends comes back
// over an event stream and is drawn here (cards by card-render.js, updated in place when patched). The server's
// API needs this start's token, given in the printed URL (#token=…): kept in the address and sent on every call.
import { renderCard } from './card-render.js'
import { mount } from './dom.js'
import { h } from './vnode.js'

/** @typedef {{ openId: string, name: string, role: string, roleLabel: string, department: string }} Person */
/** @typedef {{ chatId: string, name: string, kind: 'group' | 'p2p', members: string[], description: string }} Chat */
/**
 * @typedef {{ id: string, chatId: string, sender: string, kind: string, text?: string, card?: any, imageKey?: string,
 *   file?: { key: string, name: string, size: number }, replyTo?: string, at: number, version: number }} Message
 */

const state = {
  /** @type {{ openId: string, name: string }} */
  bot: { openId: '', name: '工会助手' },
  committeeChatId: '',
  /** @type {Person[]} */
  people: [],
  /** @type {Chat[]} */
  chats: [],
  /** @type {Map<string, Message>} */
  messages: new Map(),
  as: '',
  chat: '',
  /** This start's API token (from #token=…, or this tab's storage after the address lost it). */
  token: '',
  /** Unread counts by `${person}|${chat}`. */
  /** @type {Map<string, number>} */
  unread: new Map(),
}

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id))

/** @param {string} openId */
function nameOf(openId) {
  if (openId === state.bot.openId) return state.bot.name
  return state.people.find((p) => p.openId === openId)?.name
}

/** @param {string} chatId */
function chatById(chatId) {
  return state.chats.find((c) => c.chatId === chatId)
}

function visibleChats() {
  return state.chats.filter((c) => c.members.includes(state.as))
}

/** @param {string} chatId */
function chatTitle(chatId) {
  const chat = chatById(chatId)
  if (!chat) return chatId
  return chat.kind === 'p2p' ? `${state.bot.name}（与${chat.name}的私聊）` : chat.name
}

// ---- API ----

/**
 * @param {string} path
 * @param {unknown} body
 */
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-playground-token': state.token }, body: JSON.stringify(body) })
  const json = await res.json().catch(() => ({}))
  if (res.status === 403 && json.code === 'PLAYGROUND_TOKEN_INVALID') showRefused(json.error)
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`)
  return json
}

/** A GET URL with the token as a query parameter (EventSource and download links cannot send headers). */
function withToken(/** @type {string} */ path) {
  return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(state.token)}`
}

/** The server refused the token (a restarted server, an address without it): say how to get in. */
function showRefused(/** @type {string | undefined} */ message) {
  document.body.dataset.refused = 'true'
  let banner = document.getElementById('refused')
  if (!banner) {
    banner = Object.assign(document.createElement('div'), { id: 'refused', className: 'pg-refused', role: 'alert' })
    document.body.prepend(banner)
  }
  banner.textContent = message ?? '缺少或无效的访问令牌：请用本次启动时打印的完整地址（含 #token=…）打开演示页面'
}

async function loadState() {
  const res = await fetch('/playground/api/state', { cache: 'no-store', headers: { 'x-playground-token': state.token } })
  const s = await res.json()
  if (!res.ok) {
    showRefused(s.error)
    throw new Error(s.error ?? `HTTP ${res.status}`)
  }
  state.bot = s.bot
  state.committeeChatId = s.committeeChatId
  state.people = s.people
  state.chats = s.chats
  state.messages = new Map(s.messages.map((/** @type {Message} */ m) => [m.id, m]))
}

function connect() {
  const source = new EventSource(withToken('/playground/api/stream'))
  source.onmessage = async (e) => {
    const event = JSON.parse(e.data)
    if (event.type === 'hello' || event.type === 'reset') {
      // (Re)connected: catch up with everything.
      await loadState()
      delete document.body.dataset.refused
      document.getElementById('refused')?.remove()
      renderAll()
      document.body.dataset.connected = 'true'
    } else if (event.type === 'upsert') {
      upsert(event.message)
    } else if (event.type === 'cast') {
      state.people = event.people
      state.chats = event.chats
      renderPeople()
      renderChats()
    }
  }
  source.onerror = () => {
    document.body.dataset.connected = 'false'
    // A refused token also ends the stream: find out why, once, so the page can say so.
    if (source.readyState === EventSource.CLOSED) void loadState().catch(() => undefined)
  }
}

// ---- rendering ----

function renderAll() {
  if (!state.people.some((p) => p.openId === state.as)) state.as = state.people[0]?.openId ?? ''
  if (!visibleChats().some((c) => c.chatId === state.chat)) state.chat = isPhone() ? '' : (visibleChats().find((c) => c.kind === 'p2p')?.chatId ?? '')
  renderPeople()
  renderChats()
  renderChat()
}

function renderPeople() {
  const select = /** @type {HTMLSelectElement} */ ($('person-select'))
  select.replaceChildren(...state.people.map((p) => Object.assign(document.createElement('option'), { value: p.openId, textContent: `${p.name}（${p.roleLabel}）`, selected: p.openId === state.as })))
  const list = $('people')
  list.replaceChildren(
    ...state.people.map((p) => {
      const b = mountSimple(
        h('button', { class: `pg-person${p.openId === state.as ? ' pg-current' : ''}`, data: { person: p.openId }, attrs: { type: 'button', title: p.department } }, h('span', { class: 'pg-avatar' }, Array.from(p.name)[0] ?? '?'), h('span', { class: 'pg-person-text' }, h('span', { class: 'pg-person-name' }, p.name), h('span', { class: 'pg-person-role' }, p.roleLabel))),
      )
      b.addEventListener('click', () => switchPerson(p.openId))
      return b
    }),
  )
}

function renderChats() {
  const nav = $('chats')
  const chats = visibleChats()
  nav.replaceChildren(
    ...chats.map((c) => {
      const last = [...state.messages.values()].filter((m) => m.chatId === c.chatId).sort((a, b) => a.at - b.at).pop()
      const unread = state.unread.get(`${state.as}|${c.chatId}`) ?? 0
      const item = mountSimple(
        h(
          'button',
          { class: `pg-chat-item${c.chatId === state.chat ? ' pg-current' : ''}`, data: { chat: c.chatId }, attrs: { type: 'button', title: c.description } },
          h('span', { class: `pg-avatar ${c.kind === 'group' ? 'pg-avatar-group' : 'pg-avatar-bot'}` }, c.kind === 'group' ? '群' : '工'),
          h('span', { class: 'pg-chat-text' }, h('span', { class: 'pg-chat-name' }, c.kind === 'p2p' ? state.bot.name : c.name), h('span', { class: 'pg-chat-preview' }, last ? preview(last) : c.description)),
          unread ? h('span', { class: 'pg-badge' }, String(unread)) : null,
        ),
      )
      item.addEventListener('click', () => openChat(c.chatId))
      return item
    }),
  )
}

/** @param {Message} m */
function preview(m) {
  const who = m.sender === state.as ? '' : `${nameOf(m.sender) ?? ''}：`
  if (m.kind === 'card') return `${who}[卡片] ${String(m.card?.header?.title?.content ?? '')}`
  if (m.kind === 'image') return `${who}[图片]`
  if (m.kind === 'file') return `${who}[文件] ${m.file?.name ?? ''}`
  if (m.kind === 'system') return m.text ?? ''
  return `${who}${(m.text ?? '').slice(0, 40)}`
}

function renderChat() {
  const chat = chatById(state.chat)
  document.body.dataset.view = chat ? 'chat' : 'list'
  $('chat').dataset.chat = state.chat
  $('chat-head').replaceChildren(
    mountSimple(h('div', { class: 'pg-chat-title' }, chat ? chatTitle(chat.chatId) : '选择一个会话')),
    mountSimple(h('div', { class: 'pg-chat-sub' }, chat ? (chat.kind === 'group' ? `${chat.members.length + 1} 位成员 · ${chat.description}` : chat.description) : '')),
  )
  const box = $('messages')
  box.replaceChildren()
  if (!chat) return
  for (const m of [...state.messages.values()].filter((x) => x.chatId === chat.chatId).sort((a, b) => a.at - b.at)) box.appendChild(renderMessage(m))
  attachAll(box)
  box.scrollTop = box.scrollHeight
  const input = /** @type {HTMLTextAreaElement} */ ($('input'))
  if (chat.kind === 'group' && input.value.trim() === '') input.value = `@${state.bot.name} `
  if (chat.kind === 'p2p' && input.value.trim() === `@${state.bot.name}`) input.value = ''
  $('composer').dataset.kind = chat.kind
}

/** Charts are drawn once their box is in the document. @param {HTMLElement} root */
function attachAll(root) {
  for (const el of root.querySelectorAll('[data-pending-attach]')) {
    const f = pendingAttach.get(el)
    pendingAttach.delete(el)
    el.removeAttribute('data-pending-attach')
    f?.()
  }
}

/** @type {WeakMap<Element, () => void>} */
const pendingAttach = new WeakMap()

/**
 * @param {Message} m
 * @returns {HTMLElement}
 */
function renderMessage(m) {
  if (m.kind === 'system') return mountSimple(h('div', { class: 'pg-system', data: { id: m.id } }, m.text ?? ''))
  const mine = m.sender === state.as
  const isBot = m.sender === state.bot.openId
  const name = nameOf(m.sender) ?? m.sender
  const row = mountSimple(
    h(
      'div',
      { class: `pg-msg${mine ? ' pg-mine' : ''}${isBot ? ' pg-from-bot' : ''}`, data: { id: m.id, kind: m.kind, sender: m.sender, version: String(m.version) } },
      h('span', { class: `pg-avatar${isBot ? ' pg-avatar-bot' : ''}`, attrs: { title: name } }, isBot ? '工' : (Array.from(name)[0] ?? '?')),
      h('div', { class: 'pg-msg-main' }, h('div', { class: 'pg-msg-name' }, isBot ? `${name} 机器人` : name)),
    ),
  )
  const main = /** @type {HTMLElement} */ (row.querySelector('.pg-msg-main'))
  const quoted = m.replyTo ? state.messages.get(m.replyTo) : undefined
  if (quoted) main.appendChild(mountSimple(h('div', { class: 'pg-quote' }, `回复 ${nameOf(quoted.sender) ?? ''}：${preview({ ...quoted, sender: state.as })}`)))
  main.appendChild(renderContent(m))
  return row
}

/**
 * @param {Message} m
 * @returns {HTMLElement}
 */
function renderContent(m) {
  switch (m.kind) {
    case 'text':
      return mountSimple(h('div', { class: 'pg-bubble' }, m.sender === state.bot.openId ? botText(m.text ?? '') : (m.text ?? '')))
    case 'image':
      return mountSimple(h('div', { class: 'pg-bubble pg-image' }, h('span', { class: 'fc-img-icon' }, '🖼'), ` ${m.imageKey ?? ''}`))
    case 'file':
      return mountSimple(
        h('div', { class: 'pg-bubble pg-file' }, '📎 ', h('a', { attrs: { href: withToken(`/playground/api/files/${encodeURIComponent(m.file?.key ?? '')}`) } }, m.file?.name ?? ''), ` (${m.file?.size ?? 0} B)`),
      )
    case 'card':
      return renderCardMessage(m)
    default:
      return mountSimple(h('div', { class: 'pg-bubble pg-other' }, `[${m.text ?? '未知'}消息]`))
  }
}

/**
 * Text messages are literal except Feishu's <at user_id="…">名字</at> mentions.
 * @param {string} text
 */
function botText(text) {
  const parts = []
  const re = /<at\s+user_id\s*=\s*["']?([^"'>\s]+)["']?\s*>([^<]*)<\/at>/g
  let last = 0
  for (const m of text.matchAll(re)) {
    parts.push(text.slice(last, m.index))
    const id = m[1] ?? ''
    parts.push(h('span', { class: 'md-at' }, `@${id === 'all' ? '所有人' : (m[2] || nameOf(id) || id)}`))
    last = (m.index ?? 0) + m[0].length
  }
  parts.push(text.slice(last))
  return parts
}

/**
 * @param {Message} m
 * @returns {HTMLElement}
 */
function renderCardMessage(m) {
  const vnode = renderCard(m.card, { nameOf, people: state.people })
  const { node, attached } = mount(vnode, {
    onCallback: (detail) => cardAction(m.id, detail),
    confirm: confirmDialog,
  })
  const wrap = document.createElement('div')
  wrap.className = 'pg-card-wrap'
  wrap.appendChild(node)
  const toggle = document.createElement('button')
  toggle.type = 'button'
  toggle.className = 'pg-json-toggle'
  toggle.textContent = '{ } JSON'
  toggle.title = '查看卡片 JSON'
  toggle.addEventListener('click', () => {
    const open = wrap.querySelector('pre.pg-json')
    if (open) return open.remove()
    const pre = document.createElement('pre')
    pre.className = 'pg-json'
    pre.textContent = JSON.stringify(m.card, null, 2)
    wrap.appendChild(pre)
  })
  wrap.appendChild(toggle)
  wrap.dataset.pendingAttach = 'true'
  pendingAttach.set(wrap, attached)
  return wrap
}

/**
 * A node tree without interactions.
 * @param {import('./vnode.js').VNode} v
 * @returns {HTMLElement}
 */
function mountSimple(v) {
  return /** @type {HTMLElement} */ (mount(v, { onCallback: async () => undefined, confirm: async () => false }).node)
}

/** @param {Message} m */
function upsert(m) {
  const before = state.messages.get(m.id)
  state.messages.set(m.id, m)
  if (!before && m.chatId !== state.chat) {
    for (const p of state.people) {
      const chat = chatById(m.chatId)
      if (chat?.members.includes(p.openId) && m.sender !== p.openId) state.unread.set(`${p.openId}|${m.chatId}`, (state.unread.get(`${p.openId}|${m.chatId}`) ?? 0) + 1)
    }
  }
  renderChats()
  if (m.chatId !== state.chat) return
  const box = $('messages')
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120
  const existing = box.querySelector(`[data-id="${CSS.escape(m.id)}"]`)
  const row = renderMessage(m)
  if (existing) {
    existing.replaceWith(row)
    if (before && before.version !== m.version) row.classList.add('pg-updated')
  } else {
    box.appendChild(row)
  }
  attachAll(box)
  if (nearBottom || m.sender === state.as) box.scrollTop = box.scrollHeight
}

// ---- actions ----

/**
 * @param {string} messageId
 * @param {import('./dom.js').CallbackDetail} detail
 */
async function cardAction(messageId, detail) {
  try {
    const res = await post('/playground/api/actions', { as: state.as, messageId, ...detail })
    if (res.toast) toast(res.toast.type, res.toast.content)
  } catch (err) {
    toast('error', `请求失败：${err instanceof Error ? err.message : String(err)}`)
  }
}

async function send() {
  const input = /** @type {HTMLTextAreaElement} */ ($('input'))
  const text = input.value
  const chat = chatById(state.chat)
  if (!chat || !text.trim()) return
  input.value = chat.kind === 'group' ? `@${state.bot.name} ` : ''
  try {
    await post('/playground/api/messages', { as: state.as, chatId: chat.chatId, text })
  } catch (err) {
    input.value = text
    toast('error', `发送失败：${err instanceof Error ? err.message : String(err)}`)
  }
  input.focus()
}

async function sendImage() {
  if (!state.chat) return
  try {
    await post('/playground/api/images', { as: state.as, chatId: state.chat })
  } catch (err) {
    toast('error', `发送失败：${err instanceof Error ? err.message : String(err)}`)
  }
}

/** Sends the chosen file as the current person (base64 in JSON, as the page's API takes only JSON). */
async function sendFile() {
  const picker = /** @type {HTMLInputElement} */ ($('file-input'))
  const file = picker.files?.[0]
  picker.value = ''
  if (!state.chat || !file) return
  try {
    if (file.size > 128 * 1024) throw new Error('文件超过 128 KB')
    const bytes = new Uint8Array(await file.arrayBuffer())
    let binary = ''
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
    await post('/playground/api/files', { as: state.as, chatId: state.chat, name: file.name, base64: btoa(binary) })
  } catch (err) {
    toast('error', `发送失败：${err instanceof Error ? err.message : String(err)}`)
  }
}

/** @param {string} openId */
function switchPerson(openId) {
  state.as = openId
  // A toast belongs to whoever clicked.
  $('toasts').replaceChildren()
  if (!visibleChats().some((c) => c.chatId === state.chat)) state.chat = isPhone() ? '' : (visibleChats().find((c) => c.kind === 'p2p')?.chatId ?? '')
  else state.unread.delete(`${state.as}|${state.chat}`)
  saveLocation()
  renderPeople()
  renderChats()
  renderChat()
}

/** @param {string} chatId */
function openChat(chatId) {
  state.chat = chatId
  state.unread.delete(`${state.as}|${chatId}`)
  const input = /** @type {HTMLTextAreaElement} */ ($('input'))
  input.value = ''
  saveLocation()
  renderChats()
  renderChat()
}

function mentionMenu() {
  const chat = chatById(state.chat)
  const menu = $('mention-menu')
  if (!chat || !menu.hidden) return void (menu.hidden = true)
  // Others first, then oneself (Feishu lets you mention yourself too).
  const members = [...chat.members.filter((id) => id !== state.as), ...chat.members.filter((id) => id === state.as)]
  const names = [state.bot.name, ...members.map((id) => nameOf(id) ?? id)]
  menu.replaceChildren(
    ...names.map((n) => {
      const b = mountSimple(h('button', { class: 'pg-mention-item', attrs: { type: 'button' } }, `@${n}`))
      b.addEventListener('click', () => {
        const input = /** @type {HTMLTextAreaElement} */ ($('input'))
        input.value = `${input.value}${input.value && !input.value.endsWith(' ') ? ' ' : ''}@${n} `
        menu.hidden = true
        input.focus()
      })
      return b
    }),
  )
  menu.hidden = false
}

/**
 * @param {string} type
 * @param {string} content
 */
function toast(type, content) {
  const t = mountSimple(h('div', { class: `pg-toast pg-toast-${/^[a-z]+$/.test(type) ? type : 'info'}`, attrs: { role: 'status' } }, content))
  $('toasts').appendChild(t)
  setTimeout(() => t.remove(), 3500)
}

/**
 * Feishu's confirm dialog before a button's callback.
 * @param {string} title
 * @param {string} text
 * @returns {Promise<boolean>}
 */
function confirmDialog(title, text) {
  const modal = $('modal')
  $('modal-title').textContent = title
  $('modal-text').textContent = text
  modal.hidden = false
  return new Promise((resolve) => {
    const done = (/** @type {boolean} */ ok) => {
      modal.hidden = true
      $('modal-ok').onclick = null
      $('modal-cancel').onclick = null
      resolve(ok)
    }
    $('modal-ok').onclick = () => done(true)
    $('modal-cancel').onclick = () => done(false)
  })
}

function isPhone() {
  return window.matchMedia('(max-width: 720px)').matches
}

function saveLocation() {
  const params = new URLSearchParams({ ...(state.token ? { token: state.token } : {}), as: state.as, ...(state.chat ? { chat: state.chat } : {}) })
  history.replaceState(null, '', `#${params}`)
}

function readLocation() {
  const params = new URLSearchParams(location.hash.slice(1))
  state.as = params.get('as') ?? ''
  state.chat = params.get('chat') ?? ''
  state.token = params.get('token') ?? sessionStorage.getItem('playground-token') ?? ''
  if (state.token) sessionStorage.setItem('playground-token', state.token)
}

// ---- start ----

readLocation()
$('person-select').addEventListener('change', (e) => switchPerson(/** @type {HTMLSelectElement} */ (e.target).value))
$('composer').addEventListener('submit', (e) => {
  e.preventDefault()
  void send()
})
$('input').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault()
    void send()
  }
})
$('mention').addEventListener('click', mentionMenu)
$('image').addEventListener('click', () => void sendImage())
$('file').addEventListener('click', () => $('file-input').click())
$('file-input').addEventListener('change', () => void sendFile())
$('back').addEventListener('click', () => {
  state.chat = ''
  saveLocation()
  renderChats()
  renderChat()
})
connect()
