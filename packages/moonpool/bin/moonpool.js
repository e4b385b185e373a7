#!/usr/bin/env node
// Committed entry point, so npm links the `moonpool` command at install time (before `dist/` is built).
import '../dist/src/cli/main.js';
