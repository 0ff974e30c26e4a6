export { formatTerraform } from './terraform.js';
export { tokenize, type Token, type TokenType } from './tokens.js';
