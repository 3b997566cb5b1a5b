"""The answers stage: what a watch's hits *say* about one event, kept as one answer.

``dates`` finds the date ranges an item gives (absolute, ranges, relative to its own
publication date, vague), ``cues`` tells an announcement from a report that the event took
place, ``extract`` puts them together per sentence, and ``fold`` turns the extractions of a
watch's hits, in publication order, into one answer with its history and change kinds
(first, refined, changed, confirmed, held). All pure: text and dates in, values out.

Import from the modules themselves: this package imports none of them, so that the
stories step (``story``) does not load the date grammar, 30 ms of every command's start,
and a config without an extract watch never loads it.
"""
