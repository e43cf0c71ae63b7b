health
