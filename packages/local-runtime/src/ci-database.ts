// `.ci/run`'s database: starts FerretDB (the binary named by FERRETDB_BIN) on a free loopback port with
// its data and log in the folder given, and prints the shell lines that export its URI and pid. FerretDB keeps
// running in its own process group after this exits; .ci/run stops it. Runs from source with tsx, before
// anything is built.
import { join } from 'node:path'
import { startFerretDb } from './ferretdb.js'

const [dataDir] = process.argv.slice(2)
const binary = process.env.FERRETDB_BIN
if (!dataDir || !binary) {
  console.error('Usage: FERRETDB_BIN=<ferretdb> tsx ci-database.ts <data dir>')
  process.exit(2)
}
const server = await startFerretDb({ binary, dataDir, logFile: join(dataDir, 'ferretdb.log') })
server.child.unref()
process.stdout.write(`export MONGODB_URI=${server.uri}\nFERRETDB_PID=${server.child.pid}\n`)
