"""Hard tasks and weak links that each organization commits to solve for its upper committee, tracked to the end."""
