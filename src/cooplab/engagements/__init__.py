"""Engagements: missions, their events (visits, meetings, signings), agreements and action items."""
