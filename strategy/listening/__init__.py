"""Listening data in: exports of monitoring tools and of the organisation's own pages,
read, analysed into figures and proposed for the Listen step.

``reading`` recognises a file and yields its rows as ``records.Record``; ``analysis``
folds them into figures (``Evidence``); ``proposal`` turns figures into rows of the
draft; ``jobs`` runs it all in the background. Nothing here keeps the raw mentions.
"""
