import { afterAll } from 'vitest'
import { stopAllProcesses } from './process.js'

afterAll(stopAllProcesses)
