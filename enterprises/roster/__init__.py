"""Excel rosters: reading hostile-safe, mapping headers, the dry run and the set-based commit.

Modules: reading (files → rows, hostile-file guards), headers and titles (what
the columns and the title row mean), values (cells), regions, analysis (row
plans), compare (against the register), committer (writes), services (the
doors), messages (Chinese and English texts), views, api, urls.
"""
