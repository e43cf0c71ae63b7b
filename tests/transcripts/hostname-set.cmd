# The node's name: shown with hostname (the prompt, not printed in script
# mode, shows the same name), set with hostname <name>, kept in the store.
hostname
hostname cms01
hostname
hostname Cms-Node-2
hostname
