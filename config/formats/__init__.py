"""Date shapes per language (FORMAT_MODULE_PATH): short enough for tables and chart labels, in each
language's own order. Django's own format modules give everything else (separators, long dates)."""
