// Side effects only: registers TF.js's gradient functions (see scripts/bundle-tfjs-gradients.mjs).
export {};
