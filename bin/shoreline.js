#!/usr/bin/env node
import '../dist/shoreline.mjs';
