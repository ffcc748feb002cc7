"""The pages of the offline explorer site that `jpllmkg build` writes (see jpllmkg.site.build)."""
