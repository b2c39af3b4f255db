// OneAtATime: tasks under one key run in arrival order, never overlapping; other keys run alongside; a
// failure does not block the tasks queued behind it.
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { OneAtATime } from '../src/one-at-a-time.js'

describe('OneAtATime', () => {
  it('runs the tasks of one key one after another, in the order they came', async () => {
    const queue = new OneAtATime()
    const events: string[] = []
    const task = (name: string, ms: number) => async () => {
      events.push(`${name} start`)
      await sleep(ms)
      events.push(`${name} end`)
      return name
    }
    const results = await Promise.all([
      queue.run('a', task('1', 30)),
      queue.run('a', task('2', 1)),
      queue.run('a', task('3', 10)),
    ])
    expect(results).toEqual(['1', '2', '3'])
    expect(events).toEqual(['1 start', '1 end', '2 start', '2 end', '3 start', '3 end'])
  })

  it('runs tasks of different keys side by side', async () => {
    const queue = new OneAtATime()
    let running = 0
    let most = 0
    const task = async () => {
      most = Math.max(most, ++running)
      await sleep(20)
      running--
    }
    await Promise.all([queue.run('a', task), queue.run('b', task), queue.run('c', task)])
    expect(most).toBe(3)
  })

  it('passes a failure to its caller and goes on with the next task', async () => {
    const queue = new OneAtATime()
    const failed = queue.run('a', () => Promise.reject(new Error('boom')))
    const next = queue.run('a', async () => 'next')
    await expect(failed).rejects.toThrow('boom')
    await expect(next).resolves.toBe('next')
  })
})
