"""The site's own pages: the privacy notice, the legal notice, the accessibility statement
and the contact page (each written out in French, Dutch and English), and the files
visitors and crawlers ask for at the root: `/favicon.ico`, `/robots.txt`, `/sitemap.xml`."""
