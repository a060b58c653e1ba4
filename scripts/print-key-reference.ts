/** Prints the README's key reference from the one keybinding table: node scripts/run-ts.mjs scripts/print-key-reference.ts */
import { keyReferenceMarkdown } from '../src/ui/keybindings.js';

console.log(keyReferenceMarkdown());
