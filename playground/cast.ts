// Who and where in the playground: the people who can be switched between and the chats they see. Ids look like
// Feishu's (open_id ou_…, chat_id oc_…) but are fixed, so a seeded database and a reloaded page agree.

export type PersonRole = 'worker' | 'representative' | 'department_contact' | 'officer'

export interface CastPerson {
  openId: string
  name: string
  /** What the person is in the union, as the page labels them. Roles other than officer are granted through the bot. */
  role: PersonRole
  roleLabel: string
  department: string
}

export interface CastChat {
  chatId: string
  name: string
  kind: 'group' | 'p2p'
  /** open_ids of the members (besides the bot). A p2p chat has exactly one: the person talking to the bot. */
  members: string[]
  description: string
}

export interface Cast {
  people: CastPerson[]
  chats: CastChat[]
  committeeChatId: string
  workersChatId: string
  chair: CastPerson
}

export const WORKER: CastPerson = { openId: 'ou_pg_worker_zhangwei', name: '张伟', role: 'worker', roleLabel: '职工', department: '一车间' }
export const REPRESENTATIVE: CastPerson = { openId: 'ou_pg_rep_lina', name: '李娜', role: 'representative', roleLabel: '职工代表', department: '一车间' }
/** A second representative: a proposal needs two co-signers who are not the department that answers it (F12). */
export const SECOND_REPRESENTATIVE: CastPerson = { openId: 'ou_pg_rep_chenjing', name: '陈静', role: 'representative', roleLabel: '职工代表', department: '一车间' }
export const DEPARTMENT_CONTACT: CastPerson = { openId: 'ou_pg_contact_zhaomin', name: '赵敏', role: 'department_contact', roleLabel: '部门联系人', department: '一车间' }
export const CHAIR: CastPerson = { openId: 'ou_pg_chair_wang', name: '王建国', role: 'officer', roleLabel: '工会主席', department: '工会委员会' }

export const COMMITTEE_CHAT_ID = 'oc_pg_union_committee'
export const WORKERS_CHAT_ID = 'oc_pg_workshop_one'

/** The p2p chat between a person and the bot (Feishu gives each such pair one chat_id). */
export function p2pChatId(openId: string): string {
  return `oc_pg_p2p_${openId.replace(/^ou_/, '')}`
}

/**
 * The cast. committeeChatId is UNION_ADMIN_CHAT_ID when that is configured, so the bot's committee messages land
 * in the committee group shown on the page.
 */
export function buildCast(opts: { committeeChatId?: string } = {}): Cast {
  const people = [WORKER, REPRESENTATIVE, SECOND_REPRESENTATIVE, DEPARTMENT_CONTACT, CHAIR]
  const committeeChatId = opts.committeeChatId ?? COMMITTEE_CHAT_ID
  const chats: CastChat[] = [
    { chatId: committeeChatId, name: '工会委员会', kind: 'group', members: [CHAIR.openId], description: '工会委员会工作群（UNION_ADMIN_CHAT_ID）' },
    { chatId: WORKERS_CHAT_ID, name: '一车间职工群', kind: 'group', members: [WORKER.openId, REPRESENTATIVE.openId, SECOND_REPRESENTATIVE.openId, DEPARTMENT_CONTACT.openId, CHAIR.openId], description: '车间职工大群' },
    ...people.map((p): CastChat => ({ chatId: p2pChatId(p.openId), name: p.name, kind: 'p2p', members: [p.openId], description: `${p.name}与工会助手的私聊` })),
  ]
  return { people, chats, committeeChatId, workersChatId: WORKERS_CHAT_ID, chair: CHAIR }
}
