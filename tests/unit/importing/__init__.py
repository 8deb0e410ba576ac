"""Tests of blog.importing: reading WordPress exports."""
