"""Page: a case's records and committed layers to one self-contained HTML file (build).

site      load and cross-check everything the map shows
payload   the data block: every label the page shows, from the case records
render    the folium page, deterministic ids; audit: the CSP and check_page; assets: inlined Leaflet
build     write the page atomically; static/: casemap.css, and js/: the page's script by concern, joined in the
          order of assets.CASEMAP_JS
"""
