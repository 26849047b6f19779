// Nominations: `提名 PX-2026-01 @某人` (or a name the bot knows) starts a private conversation — the story (先进事迹),
// an optional photo, 确认 — checked against who may nominate in the round; a member's nomination then waits for
// the round's co-signers (联名 on a card the nominator forwards). The committee's review card is patched.
import { recordEvidence, settleEvidence } from '../../src/kit/evidence.js'
import { NOMINATION_EVIDENCE } from './evidence.js'
import { randomUUID } from 'node:crypto'
import { buildCosignCard, buildNominationConfirmCard } from '../../cards/recognition/nominations.js'
import type { CardActionContext, ConversationContext, MessageContext } from '../../src/dispatch/context.js'
import { defineConversation } from '../../src/dispatch/conversation.js'
import type { BotRouter } from '../../src/dispatch/router.js'
import { softNormalize } from '../../src/dispatch/text.js'
import { UserFacingError } from '../../src/errors.js'
import { deliver } from '../../src/kit/deliver.js'
import { charCount } from '../../src/kit/text.js'
import { findMember, isMember } from '../../src/organisation/members.js'
import { COSIGN } from '../../src/recognition/actions.js'
import { STORY_MAX, STORY_MIN, STORY_THEMES, nominationsOpen, whoMayNominate } from '../../src/recognition/model.js'
import { nominationStep } from '../../src/recognition/steps.js'
import { addCosigner, countCosigners, createNomination, nominationById, roundById } from '../../src/recognition/store.js'
import { localDate } from '../../src/time.js'
import { SECTION, mayNominate, refreshReview, roundFromText } from './shared.js'

interface Draft {
  roundId: number
  nomineeOpenId: string
  nomineeName: string
  story?: string
  photoKey?: string
  /** The message that carried the photo (the resource API needs it to fetch the original). */
  photoMessageId?: string
  /** Random, made when the conversation starts (never a Feishu id): a repeated 确认 files once. */
  filingKey: string
}
type Step = 'story' | 'photo' | 'confirm'

const STORY_PROMPT = `请写下被提名人的先进事迹（${STORY_MIN}–${STORY_MAX} 字），例如${STORY_THEMES.join('、')}方面的具体事例。发送「取消」可退出。`
/** Answers that mean "no photo" at the photo step. */
const NO_PHOTO = ['跳过', '不附', '没有', '无', 'skip', '不要', '不用', '不需要', '没有照片', '不附照片', '不发', '算', '没', '没照片', '不'] // after a trailing 了/啦/吧 is dropped (不要了, 算了)

const PHOTO_PROMPT = '可以发一张被提名人的工作照片（选填）；不附照片请发送「跳过」。'

const string = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

export const NOMINATION = defineConversation<Draft, Step>({
  name: 'award.nominate',
  title: '提名先进',
  version: 1,
  initial: 'story',
  outdated: '之前的提名已失效，请重新发送「提名 评选编号 @被提名人」。',
  read: (d) => {
    const roundId = typeof d.roundId === 'number' ? d.roundId : undefined
    const nomineeOpenId = string(d.nomineeOpenId)
    const filingKey = string(d.filingKey)
    if (!roundId || !nomineeOpenId || !filingKey) return undefined
    return { roundId, nomineeOpenId, nomineeName: string(d.nomineeName) ?? '', filingKey, ...(string(d.story) ? { story: string(d.story)! } : {}), ...(string(d.photoKey) ? { photoKey: string(d.photoKey)! } : {}), ...(string(d.photoMessageId) ? { photoMessageId: string(d.photoMessageId)! } : {}) }
  },
  steps: {
    story: {
      prompt: async (ctx, _d, note) => void (await ctx.say({ text: note && 'hint' in note ? `${note.hint}\n${STORY_PROMPT}` : STORY_PROMPT })),
      parse: (input, d) => {
        const story = input.text.trim()
        if (charCount(story) < STORY_MIN) return { hint: `事迹太短了（至少 ${STORY_MIN} 字）。` }
        if (charCount(story) > STORY_MAX) return { hint: `事迹不能超过 ${STORY_MAX} 字（现在 ${charCount(story)} 字），请精简后重新发送。` }
        return { next: 'photo', data: { ...d, story } }
      },
    },
    photo: {
      prompt: async (ctx, _d, note) => void (await ctx.say({ text: note && 'hint' in note ? `${note.hint}\n${PHOTO_PROMPT}` : PHOTO_PROMPT })),
      parse: (input, d) => {
        const image = input.attachments.find((a) => a.kind === 'image')
        if (image) return { next: 'confirm', data: { ...d, photoKey: image.key, ...(input.messageId ? { photoMessageId: input.messageId } : {}) } }
        if (input.attachments.length > 0) return { hint: '照片请以图片发送（不是文件）。' }
        // No photo, said any natural way (QA F24): 跳过, 不要, 没有, 不用 …
        if (NO_PHOTO.includes(input.normalized.replace(/[了啦吧。！!]+$/u, ''))) return { next: 'confirm', data: d }
        return { hint: '请发一张图片，或发送「跳过」。' }
      },
    },
    confirm: {
      prompt: async (ctx, d, note) => {
        const round = await roundById(ctx.db, d.roundId)
        const member = await findMember(ctx.db, d.nomineeOpenId)
        if (note && 'hint' in note) await ctx.say({ text: note.hint })
        await ctx.say({
          card: buildNominationConfirmCard({ flow: 'award.nominate', step: 'confirm', roundName: round?.name ?? '', roundNumber: round?.number ?? '', nomineeName: d.nomineeName, department: member?.department, story: d.story ?? '', hasPhoto: d.photoKey !== undefined }),
        })
      },
      parse: (input, d) => {
        if (['确认', '确认提名', '确定', '提交', 'ok', 'yes'].includes(input.normalized)) return { run: (ctx) => file(ctx, d) }
        return { hint: '请点「确认提名」，或发送「取消」放弃。' }
      },
    },
  },
})

async function file(ctx: ConversationContext, d: Draft): Promise<void> {
  const round = await roundById(ctx.db, d.roundId)
  const today = localDate(ctx.now(), ctx.config.timezone)
  if (!round || !nominationsOpen(round, today)) {
    await ctx.finish()
    return void (await ctx.say({ text: `抱歉，评选${round ? ` ${round.number} ` : ''}已截止提名，本次提名未能提交。` }))
  }
  if (!(await mayNominate(ctx, round, ctx.actorOpenId))) {
    await ctx.finish()
    return void (await ctx.say({ text: `抱歉，本次评选只能由${whoMayNominate(round)}提名。` }))
  }
  const officer = await ctx.isOfficer()
  // Officers and representatives nominate directly; a member's nomination needs the round's co-signers first.
  const needsCosigners = round.nominators === 'members' && round.cosigners > 0 && !officer && !(await ctx.hasRole('representative'))
  const member = await findMember(ctx.db, d.nomineeOpenId)
  const filed = await ctx.db.transaction().execute(async (trx) => {
    const made = await createNomination(trx, {
      roundId: round.id,
      nomineeOpenId: d.nomineeOpenId,
      nomineeName: d.nomineeName,
      department: member?.department,
      story: d.story ?? '',
      // Only the bot's re-upload is ever shown (set when the photo is ready, handlers/recognition/evidence.ts).
      photoKey: undefined,
      by: ctx.actorOpenId,
      status: needsCosigners ? 'cosigning' : 'nominated',
      at: ctx.now(),
      filingKey: d.filingKey,
    })
    if (made?.created) await ctx.audit({ action: 'award.nominate', subjectType: 'award_round', subjectId: round.number, detail: { nomination: made.nomination.id } }, trx)
    if (made?.created && d.photoKey && d.photoMessageId) {
      await recordEvidence(trx, { type: NOMINATION_EVIDENCE.type, id: made.nomination.id }, [{ kind: 'image', key: d.photoKey, messageId: d.photoMessageId }], { now: ctx.now(), keepNames: false })
    }
    return made
  })
  await ctx.finish()
  if (!filed) return void (await ctx.say({ text: `${d.nomineeName || '此人'}已被提名过了，不需要重复提名。` }))
  const n = filed.nomination
  if (n.status === 'cosigning') {
    await ctx.say({ text: `提名已保存，还需要 ${round.cosigners} 位会员联名。请把下面的卡片转发给同事，请他们点「我来联名」。` })
    await ctx.say({ card: buildCosignCard({ nominationId: n.id, roundName: round.name, roundNumber: round.number, nomineeName: n.nominee_name, story: n.story, needed: round.cosigners, have: 0 }) })
  } else {
    await ctx.say({ text: `提名已提交工会委员会评审。感谢您推荐身边的先进！` })
  }
  await refreshReview(ctx, (await roundById(ctx.db, round.id))!)
  // The photo is fetched and re-uploaded now; when ready the review card is redrawn with it.
  await settleEvidence(ctx, NOMINATION_EVIDENCE, n.id)
}

/** The person named after the round number: an @-mention, or a name the bot knows (one person only). */
async function nomineeOf(ctx: MessageContext, rest: string): Promise<{ openId: string; name: string }> {
  const mentioned = ctx.mentions.filter((m) => m.openId)
  if (mentioned.length > 1) throw new UserFacingError('INVALID_INPUT', '一次提名一人，请只 @ 一位同事。')
  if (mentioned.length === 1) {
    const m = mentioned[0]!
    if (m.name) await ctx.services.users.seen(m.openId!, m.name)
    return { openId: m.openId!, name: m.name }
  }
  let name = rest
  for (const m of ctx.mentions) name = name.split(softNormalize(`@${m.name || '用户'}`)).join(' ')
  name = name.replace(/^@/, '').trim()
  if (!name) throw new UserFacingError('INVALID_INPUT', '请 @ 被提名人，或写上他/她的姓名，例如：提名 PX-2026-01 @张三')
  // A member of that name, else someone the bot knows by it (the union may nominate people not yet in the roster).
  const members = await ctx.db.selectFrom('members').select(['open_id', 'name']).where('name', '=', name).where('status', '=', 'member').limit(2).execute()
  const found = members.length ? members : await ctx.db.selectFrom('users').select(['open_id', 'name']).where('name', '=', name).limit(2).execute()
  if (found.length !== 1) throw new UserFacingError('INVALID_INPUT', found.length === 0 ? `没有找到「${name}」，请用 @ 选择被提名人。` : `有两位以上同事叫「${name}」，请用 @ 选择被提名人。`)
  return { openId: found[0]!.open_id, name: found[0]!.name ?? name }
}

async function nominate(ctx: MessageContext): Promise<void> {
  if (ctx.isGroup) throw new UserFacingError('INVALID_INPUT', '提名请私聊我发送「提名 评选编号 @被提名人」。')
  const { round, rest } = await roundFromText(ctx, ctx.argsTyped, '提名 PX-2026-01 @张三')
  if (!nominationsOpen(round, localDate(ctx.now(), ctx.config.timezone))) throw new UserFacingError('INVALID_STATE', `评选 ${round.number} 已截止提名。`)
  if (!(await mayNominate(ctx, round, ctx.actorOpenId))) throw new UserFacingError('FORBIDDEN_ROLE', `抱歉，本次评选只能由${whoMayNominate(round)}提名。`)
  const nominee = await nomineeOf(ctx, rest)
  await NOMINATION.start(ctx, { roundId: round.id, nomineeOpenId: nominee.openId, nomineeName: nominee.name, filingKey: randomUUID() })
  await ctx.reply({ text: `提名「${nominee.name}」参加「${round.name}」。\n${STORY_PROMPT}` })
}

async function cosign(ctx: CardActionContext, nid: number) {
  const n = await nominationById(ctx.db, nid)
  const round = n ? await roundById(ctx.db, n.round_id) : undefined
  if (!n || !round) throw new UserFacingError('NOT_FOUND', '没有找到这条提名。')
  // Members only (not a router role: anyone may see a forwarded card, and the refusal says why).
  if (!(await isMember(ctx.db, ctx.actorOpenId))) throw new UserFacingError('FORBIDDEN_ROLE', '仅限工会会员联名。')
  if (ctx.actorOpenId === n.nominated_by || ctx.actorOpenId === n.nominee_open_id) throw new UserFacingError('INVALID_INPUT', '提名人本人和被提名人不能联名。')
  const card = (have: number) => buildCosignCard({ nominationId: n.id, roundName: round.name, roundNumber: round.number, nomineeName: n.nominee_name, story: n.story, needed: round.cosigners, have })
  if (n.status !== 'cosigning') return { toast: { type: 'info' as const, content: '联名人数已够，提名已提交评审。' }, card: card(await countCosigners(ctx.db, n.id)) }
  if (!nominationsOpen(round, localDate(ctx.now(), ctx.config.timezone))) throw new UserFacingError('INVALID_STATE', '评选已截止提名，不能再联名。')
  const result = await ctx.db.transaction().execute(async (trx) => {
    const have = await addCosigner(trx, n.id, ctx.actorOpenId, ctx.now())
    if (have === undefined) return { have: await countCosigners(trx, n.id), added: false, complete: false }
    const complete = have >= round.cosigners
    if (complete) await nominationStep(ctx, { step: 'cosigned', nominationId: n.id, from: ['cosigning'], to: 'nominated', refusal: () => '这条提名已不在联名中。' }, trx)
    return { have, added: true, complete }
  })
  if (result.complete) {
    ctx.defer(async () => {
      await deliver(ctx, 'award:cosigned', () => ctx.sendToUser(n.nominated_by, { text: `您对「${n.nominee_name}」的提名联名人数已够，已提交工会委员会评审。` }, { key: `award-cosigned:${n.id}` }))
      await refreshReview(ctx, (await roundById(ctx.db, round.id))!)
    })
  }
  return { toast: { type: result.added ? ('success' as const) : ('info' as const), content: result.added ? '已联名，谢谢！' : '您已联名过了。' }, card: card(result.have) }
}

export function registerNominations(router: BotRouter): void {
  router.conversation(NOMINATION)
  router.command({
    words: ['提名', 'nominate'],
    synonyms: ['推荐先进'],
    takesText: true,
    help: { section: SECTION, usage: '提名 PX-2026-01 @某人', description: '推荐身边的先进（写事迹，可附照片）' },
    handle: nominate,
  })
  router.action(COSIGN, { handle: (ctx, p) => cosign(ctx, p.nid) })
}
