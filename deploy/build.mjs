// `npm run build`: compiles the bot to JavaScript in dist/ (tsconfig.build.json) and copies the files the compiled
// code reads at run time (the playground's page, served as it is). `npm run start:prod` then runs dist/ with plain node.
import { spawnSync } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// A clean tree: a file deleted from the sources must not linger as stale JavaScript.
rmSync(join(root, 'dist'), { recursive: true, force: true })
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
if (tsc.status !== 0) process.exit(tsc.status ?? 1)
cpSync(join(root, 'playground', 'web'), join(root, 'dist', 'playground', 'web'), { recursive: true })
console.log('built dist/ — run it with `npm run start:prod` (node dist/src/main.js)')
