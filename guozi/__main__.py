from guozi.cli import main

main()
