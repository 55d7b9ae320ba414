from mitra_cli.cli import main

main()
