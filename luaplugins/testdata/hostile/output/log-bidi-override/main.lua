-- expect: ok
-- stdout: (?m)^warn: invoice\x{FFFD}fdp\.exe trusted\x{FFFD} end\x{FFFD}\x{FFFD}$
-- stdout-not: [\x{202A}-\x{202E}\x{2066}-\x{2069}\x{200E}\x{200F}\x{61C}]
-- rss: 40
-- time: 3s
-- A right-to-left override makes "invoice<RLO>fdp.exe" read as
-- "invoiceexe.pdf"; marks and isolates reorder text too.
log.warn("invoice\226\128\174fdp.exe trusted\226\128\142 end\226\129\166\216\156")
