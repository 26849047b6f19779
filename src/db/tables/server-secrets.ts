// Table type of the bot's own generated secrets (migrations/0006_server_secrets.ts).
import type { Timestamp } from '../schema.js'

export interface ServerSecretsTable {
  name: string
  value: string
  created_at: Timestamp
}

export interface ServerSecretTables {
  server_secrets: ServerSecretsTable
}
