"""The site layer: page models, feeds, open data and the goal, made from the content core."""
