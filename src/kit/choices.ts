// The one table of words people use for the choices of a step (`工资`, `加班费` → 劳动报酬): a choice step reads an
// answer through choose(), after the choice's own name and number. To extend it, add a word to its choice below
// (docs/conventions.md, "Choice synonyms"); a word that could mean two choices belongs to neither.

/** NFKC, lower case, no spaces: how answers and table words are compared. */
const normalizeText = (text: string): string => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase()

/** Per choice set (by name), per choice: the words that mean it. */
export const CHOICE_SYNONYMS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'grievance.category': {
    劳动报酬: ['工资', '加班费', '薪水', '薪资', '工钱', '奖金', '绩效', '提成', '欠薪', '拖欠工资', '扣工资', '扣钱', '克扣', '报酬', '最低工资', '工资条', '降薪', 'salary', 'pay', 'wage', 'wages'],
    工作时间与休息休假: ['加班', '休假', '休息', '年假', '调休', '排班', '请假', '病假', '产假', '婚假', '工时', '倒班', '夜班', '工作时间', 'overtime', 'leave'],
    劳动安全卫生: ['安全', '工伤', '防护', '职业病', '高温', '劳保', '劳保用品', '噪音', '粉尘', '受伤', 'safety'],
    社会保险与福利: ['社保', '福利', '福利待遇', '待遇', '公积金', '医保', '养老保险', '五险一金', '五险', '补贴', '食堂', '宿舍', 'insurance', 'benefits'],
    劳动合同与解除: ['合同', '劳动合同', '辞退', '开除', '解雇', '裁员', '试用期', '调岗', '离职', '辞职', '补偿', '赔偿金', 'contract', 'fired'],
    职场欺凌与骚扰: ['欺负', '欺凌', '霸凌', '骂人', '辱骂', '骚扰', '性骚扰', '歧视', 'pua', '打人', '威胁', 'bullying', 'harassment'],
    其他: ['别的', '其它', '其他问题', 'other'],
  },
  /** Whether a worker's words go to the union with or without their name (notice opinions). */
  anonymity: {
    匿名: ['anonymous', '是', '不留名', '不要名字'],
    实名: ['named', '否', '不匿名', '署名'],
  },
}

/**
 * The choice an answer names through the table: the answer is one of a choice's words, or holds exactly one choice's
 * words (the longest word found decides; `加班费没发` → 劳动报酬, not 工作时间 for 加班). Undefined when unclear.
 */
export function choose(set: string, answer: string): string | undefined {
  const table = CHOICE_SYNONYMS[set]
  if (!table) return undefined
  const a = normalizeText(answer)
  if (a === '') return undefined
  let best: { choice: string; length: number; tie: boolean } | undefined
  for (const [choice, words] of Object.entries(table)) {
    for (const word of [choice, ...words]) {
      const w = normalizeText(word)
      if (a !== w && !(w.length >= 2 && a.includes(w))) continue
      if (a === w) return choice
      if (!best || w.length > best.length) best = { choice, length: w.length, tie: false }
      else if (w.length === best.length && best.choice !== choice) best.tie = true
    }
  }
  return best && !best.tie ? best.choice : undefined
}
