"""Words and numbers for people: the nb/nn/en catalogues, number formats, sentences."""
