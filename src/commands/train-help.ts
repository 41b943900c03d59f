import { trainFlagHelp } from '../config/flag-help.js';

/** `fmnist-tui train --help`: teaches the flags (listed from src/config/flags.ts), their defaults and examples. */
export const TRAIN_HELP = `Train the model on Fashion-MNIST and print the seed program's lines.

Usage
  $ fmnist-tui train [flags]

${trainFlagHelp()}

Output is the seed's: "Epoch N", a loss line every 100 batches, "Test Error:"
with the accuracy and average loss after each epoch, then "Done!". A short
header (data, engine, model) goes to stderr. Ctrl-C stops after the current
step and says where (exit 130); with --save the checkpoint is written first.
A second Ctrl-C quits at once.

Examples
  $ fmnist-tui train               # the seed program: 10 epochs of SGD, lr 1e-3
  $ fmnist-tui train --preset recommended --optimizer adam --shuffle \\
      --schedule cosine --save runs/best
  $ fmnist-tui train --hidden 256 --dropout 0.2 --lr 0.05 --momentum 0.9 \\
      --epochs 5
  $ fmnist-tui train --resume runs/best/checkpoint.ckpt --epochs 15
  $ fmnist-tui train --epochs 1 --json | jq -c 'select(.type == "epochEnd")'
`;
