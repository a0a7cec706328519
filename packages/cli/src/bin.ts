#!/usr/bin/env node
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv, { out: process.stdout, err: process.stderr, env: process.env });
