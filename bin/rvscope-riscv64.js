#!/usr/bin/env node
// Entry point of the npm bin: runs the compiled CLI (npm install builds it).
import { main } from '../dist/src/cli/rvscope-riscv64.js'

process.exitCode = await main(process.argv.slice(2))
