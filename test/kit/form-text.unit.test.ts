// formText (src/kit/form-text.ts): trimmed form text, required or optional, bounded in code points.
import { describe, expect, it } from 'vitest'
import { formText } from '../../src/kit/form-text.js'
import { UserFacingError } from '../../src/errors.js'

const form = (values: Record<string, string>) => ({ formString: (name: string) => values[name] })

describe('formText', () => {
  it('trims, and refuses an empty required field, a short one and a long one with the field named', () => {
    expect(formText(form({ r: '  理由  ' }), 'r', '理由')).toBe('理由')
    expect(() => formText(form({ r: '   ' }), 'r', '理由')).toThrow(new UserFacingError('INVALID_INPUT', '请先填写理由。'))
    expect(() => formText(form({}), 'r', '理由')).toThrow('请先填写理由。')
    expect(() => formText(form({ r: '太短' }), 'r', '事实情况', { min: 10 })).toThrow('事实情况太短：至少 10 个字。')
    expect(() => formText(form({ r: '字'.repeat(1001) }), 'r', '答复')).toThrow('答复最多 1000 个字。')
    // Code points, not UTF-16 units: 1000 emoji fit.
    expect(formText(form({ r: '😀'.repeat(1000) }), 'r', '答复')).toHaveLength(2000)
  })
  it('an optional field may be empty, but not too long', () => {
    expect(formText(form({}), 'r', '时间', { required: false, max: 20 })).toBe('')
    expect(() => formText(form({ r: '1'.repeat(21) }), 'r', '时间', { required: false, max: 20 })).toThrow('时间最多 20 个字。')
  })
})
