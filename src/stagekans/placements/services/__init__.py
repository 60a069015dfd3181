"""Writes of the placements domain, one module per step: creation (a placement from an accepted
offer, a school or a matching round), agreements (the POK and its bpv-bladen, signing),
supervision (contact moments, due dates, overdue alerts) and revocation (the cascade when a
recognition is revoked). Import from the step's module."""
