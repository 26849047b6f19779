// Seed scenarios: short stories acted out against the real bot on first start (and by `npm run seed`), so the
// playground opens with chats that look lived in. Each scenario uses only what people can do in Feishu (type,
// add the bot, click, submit), through SeedDriver. To add one for a feature: write it below, list the command words
// it types in `requires`, and append it to SCENARIOS; it then runs against whatever the bot's handlers do.
import { addDays, localDate, zoneOffsetMs, zonedInstant } from '../../src/time.js'
import { ACTIVITY_NUMBER } from '../../src/activities/store.js'
import { GRIEVANCE_NUMBER } from '../../src/grievances/model.js'
import { PROPOSAL_NUMBER } from '../../src/proposals/model.js'
import { CHAIR, DEPARTMENT_CONTACT, REPRESENTATIVE, SECOND_REPRESENTATIVE, WORKER, type CastPerson } from '../cast.js'
import type { PlaygroundMessage } from '../session.js'
import { buttonsOf, cardTitle, fieldsOf, type SeedDriver } from './driver.js'

export interface SeedScenario {
  name: string
  /** What the scenario leaves behind (logged when it runs). */
  description: string
  /** Command words the scenario types; a missing one fails the seed (a feature it relies on is not registered). */
  requires: string[]
  run(d: SeedDriver): Promise<void>
}

/** The committee adds the bot to its group and a workshop's contact adds it to the workers' group: both greet. */
export const joinGroups: SeedScenario = {
  name: 'join-groups',
  description: 'the bot joins the committee group and the workers group, and greets both with the help card',
  requires: ['帮助'],
  async run(d) {
    const greeted = await d.addBotToGroup(d.cast.committeeChatId, CHAIR)
    if (!greeted.some((m) => m.chatId === d.cast.committeeChatId)) throw new Error('seed: the bot did not greet the committee group')
    await d.addBotToGroup(d.cast.workersChatId, DEPARTMENT_CONTACT)
  },
}

/**
 * The set-up a union chair follows on first start (README, "the first 10 minutes"): 王建国 sends the bot the setup
 * code privately and becomes 工会主席, then sends 设为委员会群 in the committee's group. Nothing in the playground's
 * configuration names a person or a chat. A re-seed of a union already set up is told so, and goes on.
 */
export const setUp: SeedScenario = {
  name: 'set-up',
  description: '王建国 becomes 工会主席 with 初始化 <设置码> and makes 工会委员会 the committee group (设为委员会群)',
  requires: ['初始化', '设为委员会群'],
  async run(d) {
    const code = d.setupCode
    if (!code) throw new Error('seed: the playground has no setup code (UNION_SETUP_CODE)')
    const answer = await d.say(CHAIR, d.p2p(CHAIR), `初始化 ${code}`)
    if (!answer.some((m) => (m.kind === 'card' ? JSON.stringify(m.card) : (m.text ?? '')).match(/您已成为工会主席|已经初始化过了/))) {
      throw new Error('seed: 初始化 did not make 王建国 the chair')
    }
    expectSent(await d.say(CHAIR, d.cast.committeeChatId, '@工会助手 设为委员会群'), '委员会群', '设为委员会群')
  },
}

/** A worker opens a private chat with the bot and asks what it can do. */
export const firstContact: SeedScenario = {
  name: 'first-contact',
  description: 'a worker asks the bot for help in private chat',
  requires: ['帮助'],
  async run(d) {
    const answer = await d.say(WORKER, d.p2p(WORKER), '帮助')
    if (!answer.some((m) => m.kind === 'card')) throw new Error('seed: the bot did not answer 帮助 with a card')
  },
}

// ---- helpers for the feature scenarios ----

/** The newest card among `sent` whose title contains `title`; fails the seed otherwise. */
function cardIn(sent: PlaygroundMessage[], title: string, what: string): PlaygroundMessage {
  const found = sent.filter((m) => m.kind === 'card' && cardTitle(m.card).includes(title)).pop()
  if (!found) throw new Error(`seed: ${what}: the bot sent no card titled "${title}"`)
  return found
}

/** Fails the seed unless the bot sent (or updated) something whose text or card contains `expected`. */
function expectSent(sent: PlaygroundMessage[], expected: string, what: string): void {
  if (!sent.some((m) => (m.kind === 'card' ? JSON.stringify(m.card) : (m.text ?? '')).includes(expected))) {
    throw new Error(`seed: ${what}: expected the bot to say "${expected}"`)
  }
}

/** Fails the seed unless a click was answered with a toast containing `expected`. */
function expectToast(outcome: { toast?: { content: string } }, expected: string, what: string): void {
  if (!outcome.toast?.content.includes(expected)) throw new Error(`seed: ${what}: expected a toast "${expected}", got "${outcome.toast?.content ?? ''}"`)
}

/** The text of the first button on a card whose text starts with `prefix` (e.g. "1 " for "1 劳动报酬"). */
function buttonStartingWith(card: PlaygroundMessage, prefix: string): string {
  const found = buttonsOf(card.card).find((b) => b.text.startsWith(prefix))
  if (!found) throw new Error(`seed: no button starting with "${prefix}" on "${cardTitle(card.card)}"`)
  return found.text
}

/** "+0800" for the zone at that instant, as Feishu's pickers append it. */
function offsetOf(instant: Date, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(instant, timeZone) / 60_000)
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
}

/** A date-time picker's value `days` from today at `time` in the bot's zone ("2026-05-08 09:00 +0800"). */
function dateTimeValue(d: SeedDriver, days: number, time: string): string {
  const date = addDays(localDate(d.now(), d.timeZone), days)
  return `${date} ${time} ${offsetOf(zonedInstant(date, time, d.timeZone), d.timeZone)}`
}

/** A date picker's value as Feishu sends it: a date already picked on the card keeps its day. */
function dateValue(d: SeedDriver, date: string): string {
  return `${date} ${offsetOf(zonedInstant(date, '12:00', d.timeZone), d.timeZone)}`
}

/**
 * The chair, in the workers' group, registers 李娜, 陈静, 赵敏 and himself as worker representatives (a proposal needs
 * two co-signers besides its proposer, PROPOSAL_MIN_COSIGNERS = 2, and the department that answers it may not be one
 * of them: security review F12) and 一车间 as a department with 赵敏 as its contact.
 */
export const roles: SeedScenario = {
  name: 'roles',
  description: 'the chair registers four worker representatives and the department 一车间 (contact 赵敏)',
  requires: ['代表', '部门'],
  async run(d) {
    const group = d.cast.workersChatId
    for (const rep of [REPRESENTATIVE, SECOND_REPRESENTATIVE, DEPARTMENT_CONTACT, CHAIR]) {
      expectSent(await d.say(CHAIR, group, `@工会助手 代表 添加 @${rep.name}`), '已添加', `代表 添加 ${rep.name}`)
    }
    expectSent(await d.say(CHAIR, group, `@工会助手 部门 添加 一车间 @${DEPARTMENT_CONTACT.name}`), '已登记承办部门', '部门 添加 一车间')
  },
}

/** A worker files a grievance in private chat, answering each step by typing or with the step card's buttons. */
async function fileGrievance(d: SeedDriver, person: CastPerson, opts: { category: number; description: string; anonymous: boolean; byButtons: boolean }): Promise<string> {
  const chat = d.p2p(person)
  let sent = await d.say(person, chat, '投诉')
  const answer = async (typed: string, button: (step: PlaygroundMessage) => string) => {
    const step = cardIn(sent, '提交诉求', `投诉: answering "${typed}"`)
    sent = opts.byButtons ? (await d.click(person, step, button(step))).sent : await d.say(person, chat, typed)
  }
  await answer(String(opts.category), (step) => buttonStartingWith(step, `${opts.category} `))
  // The description is typed, as in Feishu (no button can say it).
  sent = await d.say(person, chat, opts.description)
  await answer(opts.anonymous ? '匿名' : '实名', () => (opts.anonymous ? '匿名' : '实名'))
  await answer('确认', () => '确认提交')
  return d.latestText(chat, GRIEVANCE_NUMBER.displayed).match[0]
}

/**
 * 张伟 files two grievances in private chat — a named one by typing, an anonymous one with the step cards' buttons —
 * and the chair accepts the first from its review card in the committee group (张伟 is told privately).
 */
export const grievances: SeedScenario = {
  name: 'grievances',
  description: 'a worker files two grievances (one named, one anonymous); the chair accepts the first from the committee card',
  requires: ['投诉'],
  async run(d) {
    const first = await fileGrievance(d, WORKER, {
      category: 1,
      description: '三月份的夜班加班费到现在还没有发，车间说要等财务核对，已经拖了一个多月。',
      anonymous: false,
      byButtons: false,
    })
    await fileGrievance(d, WORKER, {
      category: 3,
      description: '二号冲压线的防护罩坏了两个星期还没修，班长让我们先凑合用，大家都很担心。',
      anonymous: true,
      byButtons: true,
    })
    const review = d.latestCard(d.cast.committeeChatId, `维权诉求 ${first}`)
    const accepted = await d.click(CHAIR, review, '受理')
    expectToast(accepted, '已受理', `受理 ${first}`)
    expectSent(accepted.sent, `${first} 已受理`, `受理 ${first}: the worker's notice`)
  },
}

/** A representative submits a proposal in private chat (title, 案由及建议, category, confirm); returns its number. */
async function submitProposal(d: SeedDriver, person: CastPerson, p: { title: string; content: string; category: number; byButtons: boolean }): Promise<string> {
  const chat = d.p2p(person)
  cardIn(await d.say(person, chat, '提交提案'), '提交提案', '提交提案')
  cardIn(await d.say(person, chat, p.title), '案由及建议', '提案标题')
  const category = cardIn(await d.say(person, chat, p.content), '类别', '案由及建议')
  const confirm = cardIn(
    p.byButtons ? (await d.click(person, category, buttonStartingWith(category, `${p.category} `))).sent : await d.say(person, chat, String(p.category)),
    '请确认',
    '提案类别',
  )
  if (p.byButtons) await d.click(person, confirm, '确认提交')
  else await d.say(person, chat, '确认')
  return d.latestText(chat, PROPOSAL_NUMBER.displayed).match[0]
}

/**
 * The chair opens a collection window; 李娜 submits a proposal, 陈静 and 王建国 co-sign it, the chair registers it
 * (立案) on the committee card and assigns it to 一车间 with a due date (赵敏 gets the department's answer card).
 * A second proposal, by 赵敏, has one co-signer so far and is still collecting.
 */
export const proposals: SeedScenario = {
  name: 'proposals',
  description: 'a proposal co-signed, registered and assigned to 一车间; a second one still collecting co-signers',
  requires: ['提案征集', '提交提案', '附议'],
  async run(d) {
    const committee = d.cast.committeeChatId
    expectSent(await d.say(CHAIR, committee, '@工会助手 提案征集 开始 第五届职代会第三次会议'), '提案征集', '提案征集 开始')
    const first = await submitProposal(d, REPRESENTATIVE, {
      title: '关于改善夜班职工就餐条件的提案',
      content: '目前食堂晚上八点以后就不供应热饭，夜班职工只能吃泡面或外卖。建议食堂增设夜班窗口，供应到凌晨一点，并在车间休息室配备微波炉。',
      category: 3,
      byButtons: false,
    })
    for (const cosigner of [SECOND_REPRESENTATIVE, CHAIR]) expectSent(await d.say(cosigner, d.p2p(cosigner), `附议 ${first}`), `已附议提案 ${first}`, `附议 ${first}`)
    // Under review once enough representatives co-signed (PROPOSAL_MIN_COSIGNERS, 2 by default; the cast has three
    // besides the proposer): with a higher setting the proposal stays collecting and the committee has no card yet.
    const review = d.session.messages().filter((m) => m.chatId === committee && m.kind === 'card' && cardTitle(m.card).includes(`提案审查 ${first}`)).pop()
    if (!review) return
    expectToast(await d.submit(CHAIR, review, { reason: '属于职代会职权范围，案由清楚，建议可行，同意立案。' }, '立案'), '已立案', `立案 ${first}`)
    const registered = d.session.message(review.id)!
    const fields = fieldsOf(registered.card)
    const department = fields.find((f) => f.name === 'department')?.options.find((o) => o.text === '一车间')
    const due = fields.find((f) => f.name === 'due_date')?.initial
    if (!department || !due) throw new Error(`seed: 交办 ${first}: the card has no department 一车间 or no suggested due date`)
    const assigned = await d.submit(CHAIR, registered, { department: department.value, due_date: dateValue(d, due) }, '交办')
    expectToast(assigned, '已交办', `交办 ${first}`)

    const second = await submitProposal(d, DEPARTMENT_CONTACT, {
      title: '关于增设职工子女暑期托管班的提案',
      content: '每年暑假双职工家庭的孩子无人看管，不少职工只能请假或把孩子带到厂里。建议工会联合行政利用培训中心开办暑期托管班，按成本收费。',
      category: 3,
      byButtons: true,
    })
    expectSent(await d.say(REPRESENTATIVE, d.p2p(REPRESENTATIVE), `附议 ${second}`), `已附议提案 ${second}`, `附议 ${second}`)
  },
}

/** The chair publishes an activity from the form in the workers' group; returns its number and sign-up card. */
async function publishActivity(
  d: SeedDriver,
  a: { title: string; description: string; place: string; capacity: number; inDays: number; from: string; to: string; deadlineInDays: number },
): Promise<{ number: string; card: PlaygroundMessage }> {
  const group = d.cast.workersChatId
  const form = cardIn(await d.say(CHAIR, group, '@工会助手 发起活动'), '发起活动', '发起活动')
  const values = {
    title: a.title,
    description: a.description,
    starts_at: dateTimeValue(d, a.inDays, a.from),
    ends_at: dateTimeValue(d, a.inDays, a.to),
    place: a.place,
    capacity: String(a.capacity),
    deadline: dateTimeValue(d, a.deadlineInDays, '18:00'),
    cancel_after_deadline: 'no',
  }
  const published = await d.submit(CHAIR, form, values, '发布活动')
  const number = published.toast?.content.match(ACTIVITY_NUMBER.displayed)?.[0]
  if (!number) throw new Error(`seed: 发起活动 "${a.title}": no activity number in the answer ("${published.toast?.content ?? ''}")`)
  return { number, card: d.latestCard(group, `活动报名 · ${number}`) }
}

/** Two activities in the workers' group; 张伟 and 李娜 sign up for the first from the group card. */
export const activities: SeedScenario = {
  name: 'activities',
  description: 'two activities published in the workers group; two people signed up for the first from the card',
  requires: ['发起活动', '活动'],
  async run(d) {
    const walk = await publishActivity(d, {
      title: '春季健步走',
      description: '沿滨江绿道健步走约 6 公里，工会提供饮用水和纪念品，请穿运动鞋。',
      place: '公司东门集合',
      capacity: 30,
      inDays: 7,
      from: '09:00',
      to: '11:30',
      deadlineInDays: 5,
    })
    await publishActivity(d, {
      title: '职工读书分享会',
      description: '每人带一本最近读的书，分享五分钟，现场有茶点。',
      place: '职工之家二楼阅览室',
      capacity: 20,
      inDays: 14,
      from: '14:00',
      to: '16:00',
      deadlineInDays: 12,
    })
    for (const person of [WORKER, REPRESENTATIVE]) {
      expectToast(await d.click(person, d.session.message(walk.card.id)!, '报名'), '报名成功', `报名 ${walk.number} (${person.name})`)
    }
    const shown = JSON.stringify(d.session.message(walk.card.id)!.card)
    if (!shown.includes('已报名 2/30')) throw new Error(`seed: the card of ${walk.number} does not show the two sign-ups`)
  },
}

/**
 * In order. Roles come first (the proposals need representatives and a department). Together they give the
 * weekly digest something to count: grievances pending and in progress, proposals collecting and assigned,
 * activities with sign-ups.
 */
export const SCENARIOS: SeedScenario[] = [joinGroups, setUp, firstContact, roles, grievances, proposals, activities]
