// Minimal types for autocannon 9 (it ships none): the options and result fields the benchmarks use.
declare module 'autocannon' {
  interface Histogram {
    average: number
    mean: number
    p50: number
    p90: number
    p97_5: number
    p99: number
    max: number
    total: number
  }
  interface Result {
    requests: Histogram & { total: number }
    latency: Histogram
    throughput: Histogram
    errors: number
    timeouts: number
    non2xx: number
    duration: number
    '2xx': number
  }
  interface Options {
    url: string
    connections?: number
    duration?: number
    amount?: number
    overallRate?: number
    pipelining?: number
    timeout?: number
    requests?: Array<Record<string, unknown>>
  }
  function autocannon(opts: Options): Promise<Result>
  export default autocannon
}
