// The shape of a Feishu card JSON 2.0 (docs/feishu-platform.md#card-json): a protocol type, so src/ can send cards
// without depending on cards/; the builders in cards/kit.ts re-export it.

export type CardElement = Record<string, unknown>

export type HeaderTemplate =
  | 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey' | 'default'

export interface Card {
  schema: '2.0'
  config: { update_multi: true; summary?: { content: string }; width_mode?: 'fill' | 'compact'; enable_forward?: false }
  header?: {
    title: { tag: 'plain_text'; content: string }
    subtitle?: { tag: 'plain_text'; content: string }
    template?: HeaderTemplate
    text_tag_list?: CardElement[]
  }
  body: { elements: CardElement[] }
}
